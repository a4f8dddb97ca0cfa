package dev.mote.trainer;

import dev.mote.dsl.ValueRange;

import dev.mote.vocabulary.FixedRange;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.ModelSpec;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    static final ModelSpec SINE = Specs.input(1).then(Specs.dense(16)).then(Specs.act(ActivationKind.RELU))
            .then(Specs.dense(16)).then(Specs.act(ActivationKind.RELU)).then(Specs.dense(1)).build("sine");

    static TrainingData sine(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 * Math.PI);
            y[i] = (float) Math.sin(x[i]);
        }
        return TrainingData.regression(x, y);
    }

    @Test
    void sineRegressionLearnsWithDefaultsPlusAFewSettings() {
        List<EpochResult> epochs = new ArrayList<>();
        Trainer trainer = Trainer.builder().epochs(150).batchSize(500).learningRate(0.02).seed(3)
                .progressBar(false).listener(epochs::add).build();
        TrainedModel model = trainer.train(SINE, sine(500, 1));
        assertEquals(150, epochs.size());
        assertEquals("mae", epochs.get(0).metricName());
        assertTrue(epochs.get(149).trainingLoss() < epochs.get(0).trainingLoss() / 5, epochs.get(149).toString());
        double mae = Predictor.floatModel(model).meanAbsoluteError(sine(200, 2));
        assertTrue(mae < 0.15, "sine MAE " + mae);
        assertEquals(QuantizationChoices.RangeSource.TRAINING_DATA, model.quantization().rangeSource());
        assertTrue(model.inputRange().max() > 6f && model.inputRange().min() == 0f, model.inputRange().toString());
    }

    @Test
    void earlyStoppingStopsOnAPlateauAndKeepsTheBestEpoch() {
        Random r = new Random(5);
        float[] x = new float[200];
        float[] y = new float[200];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) r.nextGaussian(); // noise: validation loss cannot keep improving
        }
        List<EpochResult> epochs = new ArrayList<>();
        Trainer trainer = Trainer.builder().epochs(400).batchSize(50).learningRate(0.05).validationSplit(0.25)
                .earlyStopping(3).progressBar(false).listener(epochs::add).build();
        trainer.train(SINE, TrainingData.regression(x, y));
        assertTrue(epochs.size() < 400, "ran all " + epochs.size() + " epochs");
        double best = epochs.stream().mapToDouble(EpochResult::validationLoss).min().orElseThrow();
        for (EpochResult e : epochs.subList(epochs.size() - 3, epochs.size())) {
            assertTrue(e.validationLoss() >= best);
        }
    }

    @Test
    void classificationFromADataSetIterator() {
        ModelSpec spec = Specs.input(2).then(Specs.dense(8)).then(Specs.act(ActivationKind.TANH))
                .then(Specs.dense(2)).then(Specs.act(ActivationKind.SOFTMAX)).build("blobs");
        Random r = new Random(9);
        List<DataSet> examples = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            int label = i % 2;
            float cx = label == 0 ? -1f : 1f;
            float[] features = {cx + (float) r.nextGaussian() * 0.4f, -cx + (float) r.nextGaussian() * 0.4f};
            float[] oneHot = {label == 0 ? 1 : 0, label};
            examples.add(new DataSet(Nd4j.create(features, new long[] {1, 2}, 'c'),
                    Nd4j.create(oneHot, new long[] {1, 2}, 'c')));
        }
        TrainingData data = TrainingData.of(new ListDataSetIterator<>(examples, 64));
        assertEquals(256, data.size());
        List<EpochResult> epochs = new ArrayList<>();
        TrainedModel model = Trainer.builder().epochs(30).batchSize(64).learningRate(0.05).validationSplit(0.25)
                .progressBar(false).listener(epochs::add).build().train(spec, data);
        assertEquals("accuracy", epochs.get(epochs.size() - 1).metricName());
        assertTrue(epochs.get(epochs.size() - 1).metric() > 0.9, epochs.get(epochs.size() - 1).toString());
        assertTrue(Predictor.floatModel(model).accuracy(data) > 0.9);
        assertEquals(ValueRange.of(FixedRange.UNIT_INTERVAL), model.outputRange(spec.nodes().size() - 1));
    }

    @Test
    void graphsAndNhwcReshapesTrainAndFineTune() {
        for (ModelSpec spec : List.of(TestNets.reshapes(), TestNets.residual())) {
            org.nd4j.linalg.api.ndarray.INDArray x = TestNets.randomFeatures(spec, 64, 3);
            org.nd4j.linalg.api.ndarray.INDArray y = x.reshape('c', new long[] {64, -1})
                    .get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, spec.outputShape().dim(0))).dup();
            if (spec.output().layer() instanceof dev.mote.dsl.LayerSpec.Activation) { // softmax: one-hot targets
                y = Nd4j.zeros(64, spec.outputShape().dim(0));
                for (int i = 0; i < 64; i++) {
                    y.putScalar(i, i % spec.outputShape().dim(0), 1f);
                }
            }
            List<EpochResult> epochs = new ArrayList<>();
            Trainer trainer = Trainer.builder().epochs(15).batchSize(16).learningRate(0.01).progressBar(false)
                    .listener(epochs::add).build();
            TrainedModel model = trainer.train(spec, TrainingData.of(x, y));
            assertTrue(epochs.get(14).trainingLoss() < epochs.get(0).trainingLoss(), spec.name() + " " + epochs);
            TrainedModel qat = trainer.toBuilder().epochs(2).learningRate(1e-3).build()
                    .fineTuneQuantized(Calibrator.minMax().calibrate(model, x), TrainingData.of(x, y));
            assertEquals(QuantizationChoices.RangeSource.QAT_MOVING_AVERAGE, qat.quantization().rangeSource());
        }
    }

    @Test
    void progressBarShowsEpochBatchLossMetricAndEta() {
        String shown = trainCapturingStderr("bar", 2);
        assertTrue(shown.contains("train") && shown.contains("epoch 2/2") && shown.contains("batch 3/3")
                && shown.contains("loss") && shown.contains("mae") && shown.contains("(0:00:00 / "), shown);
    }

    @Test
    void nonInteractiveProgressPrintsPlainEpochLinesWithoutCarriageReturns() {
        String shown = trainCapturingStderr("lines", 3);
        assertFalse(shown.contains("\r"), shown);
        String[] lines = shown.strip().split("\n");
        // First and last epoch always; epoch 2 only if 10 s passed, which a 300-sample epoch never takes; then the
        // summary line.
        assertEquals(3, lines.length, shown);
        assertTrue(lines[0].startsWith("train epoch 1/3 loss ") && lines[0].contains("mae"), lines[0]);
        assertTrue(lines[1].startsWith("train epoch 3/3 loss ") && lines[1].contains("ETA 0 s"), lines[1]);
        assertTrue(lines[2].startsWith("train: 3 of 3 epochs (completed); best epoch "), lines[2]);
        assertEquals("", trainCapturingStderr("off", 1));
    }

    private static String trainCapturingStderr(String progressMode, int epochs) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        String before = System.getProperty("mote.progress");
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setProperty("mote.progress", progressMode);
        try {
            Trainer.builder().epochs(epochs).batchSize(100).build().train(SINE, sine(300, 4));
        } finally {
            System.setErr(original);
            if (before == null) {
                System.clearProperty("mote.progress");
            } else {
                System.setProperty("mote.progress", before);
            }
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void invalidConfigurationAndDataFailEarly() {
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().epochs(0));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().learningRate(-1));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().validationSplit(1.0));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().earlyStopping(2).progressBar(false).build()
                .train(SINE, sine(20, 1)));
        Trainer trainer = Trainer.builder().epochs(1).progressBar(false).build();
        TrainingData twoTargets = TrainingData.of(new float[][] {{1f}, {2f}}, new float[][] {{1f, 2f}, {3f, 4f}});
        InvalidTrainingDataException e = assertThrows(InvalidTrainingDataException.class,
                () -> trainer.train(SINE, twoTargets));
        assertTrue(e.getMessage().contains("1 outputs"), e.getMessage());
        assertThrows(InvalidTrainingDataException.class, () -> TrainingData.classification(new float[][] {{1f}},
                new int[] {3}, 2));
    }
}
