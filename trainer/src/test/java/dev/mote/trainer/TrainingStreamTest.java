package dev.mote.trainer;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingStreamTest {

    /** A sine batch of {@code n} examples made on request (its own arrays). */
    private static DataSet sineBatch(int n, Random r) {
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 * Math.PI);
            y[i] = (float) Math.sin(x[i]);
        }
        return new DataSet(Nd4j.create(x, new long[] {n, 1}, 'c'), Nd4j.create(y, new long[] {n, 1}, 'c'));
    }

    /**
     * A stream of 40 batches of 25 made on request that watches, whenever the trainer asks for the next batch,
     * how many of the batches it made are still reachable (weak references after a collection).
     */
    private static final class CountingSource implements Iterator<DataSet> {
        static final int BATCHES = 40;
        static final int SIZE = 25;
        final List<WeakReference<INDArray>> made;
        final int[] maxAlive;
        final Random r;
        int produced;

        CountingSource(List<WeakReference<INDArray>> made, int[] maxAlive, long seed) {
            this.made = made;
            this.maxAlive = maxAlive;
            this.r = new Random(seed);
        }

        @Override
        public boolean hasNext() {
            return produced < BATCHES;
        }

        @Override
        public DataSet next() {
            System.gc();
            int alive = 0;
            for (WeakReference<INDArray> ref : made) {
                alive += ref.get() != null ? SIZE : 0;
            }
            maxAlive[0] = Math.max(maxAlive[0], alive);
            made.removeIf(ref -> ref.get() == null);
            DataSet ds = sineBatch(SIZE, r);
            made.add(new WeakReference<>(ds.getFeatures()));
            produced++;
            return ds;
        }
    }

    @Test
    void aStreamIsTrainedOnABatchAtATime() {
        List<WeakReference<INDArray>> made = new ArrayList<>();
        int[] maxAlive = {0};
        int[] passes = {0};
        TrainingHistory history = new TrainingHistory();
        TrainingStream stream = TrainingStream.of(() -> {
            passes[0]++;
            return new CountingSource(made, maxAlive, 7);
        });
        TrainedModel model = Trainer.builder().epochs(3).learningRate(0.01).progressBar(false).listener(history)
                .build().train(TrainerTest.SINE, stream);
        int total = CountingSource.BATCHES * CountingSource.SIZE;
        // the previous batch may still be on the stack while the next is made: at most two of 40 alive
        assertTrue(maxAlive[0] <= 2 * CountingSource.SIZE,
                maxAlive[0] + " examples alive at once, " + total + " per pass");
        assertTrue(passes[0] >= 3, passes[0] + " passes");
        assertEquals(3, history.epochs().size());
        assertTrue(Double.isFinite(history.epochs().get(2).metric()));
        assertTrue(model.inputRange().max() > 6f, model.inputRange().toString()); // calibrated on the stream

        maxAlive[0] = 0;
        TrainingHistory qatHistory = new TrainingHistory();
        TrainedModel qat = Trainer.builder().epochs(2).learningRate(1e-3).progressBar(false).listener(qatHistory)
                .build().fineTuneQuantized(model, stream);
        assertEquals(QuantizationChoices.RangeSource.QAT_MOVING_AVERAGE, qat.quantization().rangeSource());
        assertEquals("qat", qatHistory.summary().phase());
        assertTrue(qatHistory.summary().restoredBest());
        assertTrue(maxAlive[0] <= 2 * CountingSource.SIZE, maxAlive[0] + " examples alive at once in QAT");
    }

    /** The in-memory path's batches and order, made by hand: the same trained weights. */
    @Test
    void theSameBatchesInTheSameOrderGiveTheSameWeights() {
        int n = 400;
        int batchSize = 30;
        long seed = 5;
        TrainingData data = TrainerTest.sine(n, 3);
        Trainer inMemory = Trainer.builder().epochs(4).batchSize(batchSize).learningRate(0.01).seed(seed)
                .validationSplit(0.25).progressBar(false).build();
        SpecNetwork a = NetworkFactory.build(TrainerTest.SINE, NetworkFactory.Options.of(
                NetworkFactory.Mode.FLOAT_TRAINING, seed, 0.01, Loss.AUTO));
        new TrainingLoop(inMemory, "train", false).run(a, data);

        // the in-memory design: examples in permutation(n, seed) order, the last quarter for validation, batches
        // of the rest shuffled per epoch with Random(seed)
        int[] perm = TrainingData.permutation(n, seed);
        int validation = (int) Math.round(n * 0.25);
        int[] trainRows = Arrays.copyOfRange(perm, 0, n - validation);
        int[] validationRows = Arrays.copyOfRange(perm, n - validation, n);
        INDArray x = data.features();
        INDArray y = data.targets();
        List<Integer> order = new ArrayList<>();
        for (int b = 0; b * batchSize < trainRows.length; b++) {
            order.add(b);
        }
        Random shuffle = new Random(seed);
        TrainingStream stream = TrainingStream.of(() -> {
            Collections.shuffle(order, shuffle);
            return order.stream().map(b -> {
                int[] rows = Arrays.copyOfRange(trainRows, b * batchSize,
                        Math.min(trainRows.length, (b + 1) * batchSize));
                return new DataSet(Nd4j.pullRows(x, 1, rows), Nd4j.pullRows(y, 1, rows));
            }).iterator();
        }).withValidation(TrainingData.of(Nd4j.pullRows(x, 1, validationRows), Nd4j.pullRows(y, 1, validationRows)));
        Trainer streaming = inMemory.toBuilder().validationSplit(0).build();
        SpecNetwork b = NetworkFactory.build(TrainerTest.SINE, NetworkFactory.Options.of(
                NetworkFactory.Mode.FLOAT_TRAINING, seed, 0.01, Loss.AUTO));
        new TrainingLoop(streaming, "train", false).run(b, stream);
        assertTrue(a.params().equalsWithEps(b.params(), 1e-6), "in-memory vs streamed weights");
    }

    @Test
    void aDataSetIteratorIsResetEveryEpoch() {
        List<DataSet> batches = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 10; i++) {
            batches.add(sineBatch(50, r));
        }
        int[] resets = {0};
        ListDataSetIterator<DataSet> iterator = new ListDataSetIterator<>(batches, 1) {
            @Override
            public void reset() {
                resets[0]++;
                super.reset();
            }
        };
        TrainingHistory history = new TrainingHistory();
        TrainingData validation = TrainerTest.sine(100, 2);
        Trainer.builder().epochs(30).learningRate(0.01).progressBar(false).listener(history).build()
                .train(TrainerTest.SINE, TrainingStream.of(iterator).withValidation(validation));
        // one pass per epoch (validation is in memory) and one for the calibration sample
        assertEquals(31, resets[0]);
        List<EpochResult> epochs = history.epochs();
        assertTrue(epochs.get(29).trainingLoss() < epochs.get(0).trainingLoss() / 2, epochs.toString());
        assertTrue(Double.isFinite(epochs.get(29).validationLoss()));
        // the stream's arrays are left as they were: a second run trains on them again
        Trainer.builder().epochs(1).progressBar(false).build().train(TrainerTest.SINE, TrainingStream.of(iterator));
    }

    @Test
    void aValidationStreamIsScoredEachEpoch() {
        TrainingHistory history = new TrainingHistory();
        TrainingStream train = TrainingStream.of(() -> List.of(sineBatch(100, new Random(1)),
                sineBatch(100, new Random(2))).iterator());
        TrainingStream validation = TrainingStream.of(() -> List.of(sineBatch(40, new Random(3))).iterator());
        Trainer.builder().epochs(5).learningRate(0.01).validationSplit(0).progressBar(false).listener(history)
                .build().train(TrainerTest.SINE, train.withValidation(validation));
        for (EpochResult e : history.epochs()) {
            assertTrue(Double.isFinite(e.validationLoss()), e.toString());
        }
    }

    @Test
    void earlyStoppingWatchesTheStreamsValidationData() {
        TrainingHistory history = new TrainingHistory();
        TrainingData validation = TrainerTest.sine(100, 8);
        TrainingStream train = TrainingStream.of(() -> List.of(sineBatch(100, new Random(1)),
                sineBatch(100, new Random(2))).iterator()).withValidation(validation);
        Trainer trainer = Trainer.builder().epochs(400).learningRate(0.05).earlyStopping(4).progressBar(false)
                .listener(history).build();
        TrainedModel model = trainer.train(TrainerTest.SINE, train);
        TrainingSummary s = history.summary();
        assertTrue(s.restoredBest(), s.line());
        EpochResult best = history.epochs().stream()
                .min((a, b) -> Double.compare(a.validationLoss(), b.validationLoss())).orElseThrow();
        assertEquals(best.epoch(), s.bestEpoch(), s.line());
        if (s.epochsRun() < 400) {
            assertEquals("early stopping", s.stopReason());
            assertEquals(s.epochsRun() - 4, s.bestEpoch());
        }
        // the best epoch's weights came back: the returned model scores the best validation loss's figures
        double mae = Predictor.floatModel(model).meanAbsoluteError(validation);
        assertEquals(best.metric(), mae, 1e-4, s.line());
        InvalidConfigurationException noValidation = assertThrows(InvalidConfigurationException.class, () -> trainer.train(
                TrainerTest.SINE, TrainingStream.of(() -> List.of(sineBatch(10, new Random(1))).iterator())));
        assertTrue(noValidation.getMessage().contains("withValidation"), noValidation.getMessage());
    }

    @Test
    void streamsRefuseSplitsAndWrongShapes() {
        TrainingStream stream = TrainingStream.of(() -> List.of(sineBatch(10, new Random(1))).iterator());
        Trainer split = Trainer.builder().epochs(1).validationSplit(0.2).progressBar(false).build();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> split.train(TrainerTest.SINE, stream));
        assertTrue(e.getMessage().contains("withValidation"), e.getMessage());
        TrainingStream wide = TrainingStream.of(() -> List.of(new DataSet(Nd4j.zeros(4, 3), Nd4j.zeros(4, 1)))
                .iterator());
        InvalidTrainingDataException shape = assertThrows(InvalidTrainingDataException.class, () -> Trainer.builder()
                .epochs(1).progressBar(false).build().train(TrainerTest.SINE, wide));
        assertTrue(shape.getMessage().contains("batch 1") && shape.getMessage().contains("3 per example"),
                shape.getMessage());
        DataSet poisoned = sineBatch(10, new Random(1));
        poisoned.getFeatures().putScalar(3, 0, Double.NaN);
        InvalidTrainingDataException nan = assertThrows(InvalidTrainingDataException.class, () -> Trainer.builder()
                .epochs(1).progressBar(false).build().train(TrainerTest.SINE,
                        TrainingStream.of(() -> List.of(poisoned).iterator())));
        assertTrue(nan.getMessage().contains("stream batch 1") && nan.getMessage().contains("example 3"),
                nan.getMessage());
        ListDataSetIterator<DataSet> once = new ListDataSetIterator<>(List.of(sineBatch(5, new Random(1)))) {
            @Override
            public boolean resetSupported() {
                return false;
            }
        };
        assertThrows(InvalidConfigurationException.class, () -> TrainingStream.of(once));
    }
}
