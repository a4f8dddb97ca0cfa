package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import dev.mote.vocabulary.FileWriteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Trainer.Builder#checkpoint}: the best model so far on disk, equal to what early stopping restores. */
class TrainedModelFileCheckpointTest {

    @TempDir
    Path dir;

    private static TrainingData noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) r.nextGaussian(); // validation loss cannot keep improving: early stopping triggers
        }
        return TrainingData.regression(x, y);
    }

    /** The 1-based epoch with the lowest validation loss among the first {@code epochs} (first one on ties). */
    private static int argminValidation(List<EpochResult> results, int epochs) {
        int best = 0;
        for (int e = 1; e < epochs; e++) {
            if (results.get(e).validationLoss() < results.get(best).validationLoss()) {
                best = e;
            }
        }
        return best + 1;
    }

    @Test
    void theCheckpointIsTheBestEpochAndEqualsTheModelEarlyStoppingRestores() {
        Path checkpoint = dir.resolve("best.mote");
        List<EpochResult> epochs = new ArrayList<>();
        List<Integer> bestOnDiskBeforeEpoch = new ArrayList<>();
        Trainer trainer = Trainer.builder().epochs(200).batchSize(50).learningRate(0.05).validationSplit(0.25)
                .earlyStopping(3).seed(4).progressBar(false).checkpoint(checkpoint).listener(r -> {
                    // called before the epoch's selection: the file holds the best of the epochs before
                    epochs.add(r);
                    bestOnDiskBeforeEpoch.add(Files.exists(checkpoint)
                            ? TrainedModel.load(checkpoint).provenance().bestEpoch() : 0);
                }).build();
        TrainedModel returned = trainer.train(TrainerTest.SINE, noise(200, 5));
        int run = epochs.size();
        assertTrue(run < 200, "early stopping never triggered");
        int best = argminValidation(epochs, run);
        assertEquals(run, returned.provenance().epochsRun());
        assertEquals(best, returned.provenance().bestEpoch());
        assertEquals(best + 3, run, "patience 3");
        for (int e = 2; e <= run; e++) {
            assertEquals(argminValidation(epochs, e - 1), bestOnDiskBeforeEpoch.get(e - 1), "before epoch " + e);
        }
        TrainedModel saved = TrainedModel.load(checkpoint);
        assertEquals(best, saved.provenance().bestEpoch());
        assertEquals(best, saved.provenance().epochsRun());
        assertEquals(Provenance.Phase.FLOAT, saved.provenance().phase());
        assertArrayEquals(TrainedModelFileTest.tflite(returned), TrainedModelFileTest.tflite(saved));
        for (int i = 0; i < returned.spec().nodes().size(); i++) {
            assertEquals(returned.outputRange(i), saved.outputRange(i));
        }
    }

    @Test
    void qatCheckpointEqualsTheKeptBestEpoch() {
        TrainingData data = TrainerTest.sine(300, 3);
        Trainer trainer = Trainer.builder().epochs(20).batchSize(300).learningRate(0.02).seed(2).progressBar(false)
                .build();
        TrainedModel ptq = Calibrator.minMax().calibrate(trainer.train(TrainerTest.SINE, data), data);
        Path checkpoint = dir.resolve("qat-best.mote");
        TrainedModel qat = trainer.toBuilder().epochs(4).learningRate(1e-3).checkpoint(checkpoint).build()
                .fineTuneQuantized(ptq, data);
        TrainedModel saved = TrainedModel.load(checkpoint);
        assertEquals(Provenance.Phase.QAT, saved.provenance().phase());
        assertEquals(qat.provenance().bestEpoch(), saved.provenance().bestEpoch());
        assertArrayEquals(TrainedModelFileTest.tflite(qat), TrainedModelFileTest.tflite(saved));
    }

    @Test
    void checkpointingDoesNotChangeTraining() {
        ModelSpec spec = TestNets.cnn(); // has dropout: uses nd4j's random state
        INDArray x = TestNets.randomFeatures(spec, 48, 8);
        INDArray y = Nd4j.zeros(48, 5);
        for (int i = 0; i < 48; i++) {
            y.putScalar(i, (int) (Math.abs(x.getFloat(i, 1)) * 3) % 5, 1f);
        }
        TrainingData data = TrainingData.of(x, y);
        Trainer.Builder b = Trainer.builder().epochs(4).batchSize(16).seed(9).validationSplit(0.25)
                .progressBar(false);
        TrainedModel without = b.build().train(spec, data);
        Path checkpoint = dir.resolve("cnn-best.mote");
        TrainedModel with = b.checkpoint(checkpoint).build().train(spec, data);
        assertTrue(Files.exists(checkpoint));
        assertArrayEquals(TrainedModelFileTest.tflite(without), TrainedModelFileTest.tflite(with));
        assertFalse(TrainedModel.load(checkpoint).provenance().bestEpoch() == 0);
    }

    @Test
    void anUnwritableCheckpointStopsTrainingWithATypedException() {
        Path checkpoint = dir.resolve("missing-folder/best.mote");
        Trainer trainer = Trainer.builder().epochs(3).batchSize(100).progressBar(false).checkpoint(checkpoint)
                .build();
        FileWriteException e = assertThrows(FileWriteException.class,
                () -> trainer.train(TrainerTest.SINE, TrainerTest.sine(100, 1)));
        assertTrue(e.getMessage().contains(checkpoint.toString()), e.getMessage());
    }
}
