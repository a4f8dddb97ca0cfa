package dev.mote.trainer;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sequence models ({@code input(steps, features)}): DL4J reproduces a test-side float reference on the TFLite-layout
 * weights (so the layout mapping is right in both directions), they learn small synthetic tasks, the LSTM's
 * cell-state range is calibrated and tracked in QAT, and they round-trip through a file.
 */
class SequenceTrainingTest {

    static final int STEPS = 32;
    static final int CHANNELS = 2;

    /** conv1d (SAME, dilation), max pool, LSTM, last step, dense. */
    static ModelSpec lstmSpec() {
        return MicroModel.sequential("seq_lstm").input(12, 3)
                .conv1d(4, 3).padding(Padding.SAME).relu()
                .maxPool1d(2)
                .lstm(5)
                .lastStep()
                .dense(2)
                .build();
    }

    /** conv1d (stride 2, dilation), avg pool, dense per step, flatten, dense; and a global-average branch. */
    static ModelSpec convSpec() {
        return MicroModel.sequential("seq_conv").input(16, 2)
                .conv1d(4, 3).dilation(2).relu()
                .avgPool1d(2)
                .dense(3).relu()
                .flatten()
                .dense(2)
                .build();
    }

    static ModelSpec gapSpec() {
        return MicroModel.sequential("seq_gap").input(16, 2)
                .conv1d(3, 3).stride(2).padding(Padding.SAME)
                .lstm(4)
                .globalAvgPool1d()
                .dense(2)
                .build();
    }

    /** The reference forward of {@link #lstmSpec()} on one example. */
    static double[] lstmReference(TrainedModel m, float[] example) {
        double[][] x = SequenceReference.sequence(example, 12, 3);
        double[][] conv = SequenceReference.relu(SequenceReference.conv1d(x, m.weights(1), m.bias(1), 4, 3, 1, 1,
                true));
        double[][] pooled = SequenceReference.pool1d(conv, 2, true);
        SequenceReference.LstmRun run = SequenceReference.lstm(pooled, m.weights(4), m.bias(4), 5);
        return SequenceReference.dense(run.h()[run.h().length - 1], m.weights(6), m.bias(6), 2);
    }

    static double[] convReference(TrainedModel m, float[] example) {
        double[][] x = SequenceReference.sequence(example, 16, 2);
        double[][] conv = SequenceReference.relu(SequenceReference.conv1d(x, m.weights(1), m.bias(1), 4, 3, 1, 2,
                false));
        double[][] pooled = SequenceReference.pool1d(conv, 2, false);
        double[][] dense = SequenceReference.relu(SequenceReference.densePerStep(pooled, m.weights(4), m.bias(4), 3));
        return SequenceReference.dense(SequenceReference.flatten(dense), m.weights(7), m.bias(7), 2);
    }

    static double[] gapReference(TrainedModel m, float[] example) {
        double[][] x = SequenceReference.sequence(example, 16, 2);
        double[][] conv = SequenceReference.conv1d(x, m.weights(1), m.bias(1), 3, 3, 2, 1, true);
        SequenceReference.LstmRun run = SequenceReference.lstm(conv, m.weights(2), m.bias(2), 4);
        return SequenceReference.dense(SequenceReference.globalAverage(run.h()), m.weights(4), m.bias(4), 2);
    }

    interface Reference {
        double[] apply(TrainedModel m, float[] example);
    }

    /** A model of {@code spec} with seeded random weights and biases (every gate its own values), set in TFLite layout. */
    static TrainedModel randomModel(ModelSpec spec, long seed) {
        Random r = new Random(seed);
        TrainedModel.Builder b = TrainedModel.builder(spec);
        for (int i = 0; i < spec.nodes().size(); i++) {
            TfliteLayout.Parameters p = TfliteLayout.Parameters.of(dev.mote.dsl.plan.TensorPlan.of(spec), i);
            if (p != null) {
                float[] w = new float[(int) p.weightCount()];
                float[] bias = new float[p.biasLength()];
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) (r.nextGaussian() * 0.5);
                }
                for (int k = 0; k < bias.length; k++) {
                    bias[k] = (float) (r.nextGaussian() * 0.5);
                }
                b.parameters(i, w, bias);
            }
            b.range(i, new ValueRange(-1f, 1f));
        }
        return b.build();
    }

    static float[][] randomExamples(int n, int values, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][values];
        for (float[] row : x) {
            for (int k = 0; k < values; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    static void assertMatchesReference(TrainedModel m, float[][] x, Reference reference) {
        float[][] predicted = Predictor.floatModel(m).predict(x);
        double worst = 0;
        for (int e = 0; e < x.length; e++) {
            double[] expected = reference.apply(m, x[e]);
            for (int o = 0; o < expected.length; o++) {
                worst = Math.max(worst, Math.abs(expected[o] - predicted[e][o]));
            }
        }
        assertTrue(worst < 1e-4, "DL4J differs from the reference by " + worst);
    }

    @Test
    void tfliteLayoutWeightsLoadedIntoDl4jReproduceTheReference() {
        for (long seed = 1; seed <= 2; seed++) {
            assertMatchesReference(randomModel(lstmSpec(), seed), randomExamples(20, 36, seed), SequenceTrainingTest::lstmReference);
            assertMatchesReference(randomModel(convSpec(), seed), randomExamples(20, 32, seed), SequenceTrainingTest::convReference);
            assertMatchesReference(randomModel(gapSpec(), seed), randomExamples(20, 32, seed), SequenceTrainingTest::gapReference);
        }
    }

    @Test
    void weightsExtractedFromDl4jReproduceDl4jItself() {
        for (ModelSpec spec : new ModelSpec[] {lstmSpec(), convSpec(), gapSpec()}) {
            SpecNetwork net = NetworkFactory.build(spec,
                    NetworkFactory.Options.of(NetworkFactory.Mode.FOLDED, 7, 1e-3, Loss.AUTO));
            Random r = new Random(3);
            INDArray params = net.params();
            for (long k = 0; k < params.length(); k++) {
                params.putScalar(k, r.nextGaussian() * 0.5);
            }
            ValueRange[] ranges = new ValueRange[spec.nodes().size()];
            java.util.Arrays.fill(ranges, new ValueRange(-1f, 1f));
            TrainedModel m = ParameterTransfer.extract(net, ranges, QuantizationChoices.RangeSource.MIN_MAX, Double.NaN);
            int values = (int) spec.inputShape().elementCount();
            float[][] x = randomExamples(10, values, 5);
            INDArray dl4j = net.output(TfliteLayout.featuresToDl4j(Nd4j.create(x), spec.inputShape()));
            Reference ref = spec.name().equals("seq_lstm") ? SequenceTrainingTest::lstmReference
                    : spec.name().equals("seq_conv") ? SequenceTrainingTest::convReference : SequenceTrainingTest::gapReference;
            for (int e = 0; e < x.length; e++) {
                double[] expected = ref.apply(m, x[e]);
                for (int o = 0; o < expected.length; o++) {
                    assertEquals(expected[o], dl4j.getDouble(e, o), 1e-4, spec.name() + " example " + e);
                }
            }
        }
    }

    @Test
    void lstmLayoutRoundTripsAndDl4jForgetBiasStartsAtOne() {
        SpecNetwork net = NetworkFactory.build(lstmSpec(),
                NetworkFactory.Options.of(NetworkFactory.Mode.FLOAT_TRAINING, 7, 1e-3, Loss.AUTO));
        TrainedModel m = ParameterTransfer.extract(net, filled(lstmSpec()), QuantizationChoices.RangeSource.MIN_MAX,
                Double.NaN);
        float[] bias = m.bias(4);
        for (int o = 0; o < 5; o++) {
            assertEquals(0f, bias[o], "input gate bias");
            assertEquals(1f, bias[5 + o], "forget gate bias (unit_forget_bias)");
            assertEquals(0f, bias[10 + o], "cell bias");
            assertEquals(0f, bias[15 + o], "output gate bias");
        }
        INDArray[] back = TfliteLayout.lstmWeightsToDl4j(m.weights(4), 5, 4);
        assertArrayEquals(m.weights(4), TfliteLayout.lstmWeightsToTflite(back[0], back[1]));
        assertArrayEquals(bias, TfliteLayout.lstmBiasToTflite(TfliteLayout.lstmBiasToDl4j(bias)));
    }

    @Test
    void conv1dBatchNormIsFoldedAsTheTrainingNetworkComputesIt() {
        ModelSpec spec = MicroModel.sequential("seq_bn").input(16, 2)
                .conv1d(4, 3).padding(Padding.SAME).batchNorm().relu()
                .globalAvgPool1d().dense(2).build();
        SpecNetwork net = NetworkFactory.build(spec,
                NetworkFactory.Options.of(NetworkFactory.Mode.FLOAT_TRAINING, 7, 1e-2, Loss.AUTO));
        float[][] x = randomExamples(64, 32, 13);
        float[][] y = randomExamples(64, 2, 14);
        org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(
                TfliteLayout.featuresToDl4j(Nd4j.create(x), spec.inputShape()), Nd4j.create(y));
        for (int i = 0; i < 5; i++) {
            net.fit(batch); // moves the batch norm's statistics away from 0 and 1
        }
        INDArray expected = net.output(batch.getFeatures());
        TrainedModel folded = ParameterTransfer.extract(net, filled(spec), QuantizationChoices.RangeSource.MIN_MAX,
                Double.NaN);
        float[][] predicted = Predictor.floatModel(folded).predict(x);
        for (int e = 0; e < x.length; e++) {
            for (int o = 0; o < 2; o++) {
                assertEquals(expected.getDouble(e, o), predicted[e][o], 1e-4);
            }
        }
    }

    @Test
    void reshapeToASequenceAndFlattenKeepTfliteOrder() {
        ModelSpec spec = MicroModel.sequential("seq").input(12).reshape(3, 4).conv1d(2, 1).flatten().dense(2).build();
        TrainedModel m = randomModel(spec, 21);
        float[][] x = randomExamples(8, 12, 22);
        float[][] predicted = Predictor.floatModel(m).predict(x);
        for (int e = 0; e < x.length; e++) {
            double[][] conv = SequenceReference.conv1d(SequenceReference.sequence(x[e], 3, 4), m.weights(2), m.bias(2),
                    2, 1, 1, 1, false);
            double[] expected = SequenceReference.dense(SequenceReference.flatten(conv), m.weights(4), m.bias(4), 2);
            for (int o = 0; o < 2; o++) {
                assertEquals(expected[o], predicted[e][o], 1e-4);
            }
        }
    }

    @Test
    void aGraphOfSequencesRunsAsTheReference() {
        MicroModel g = MicroModel.graph("seq_graph");
        dev.mote.dsl.SequenceLayer x = g.input(8, 2);
        dev.mote.dsl.SequenceLayer a = x.conv1d(3, 1);
        dev.mote.dsl.SequenceLayer b = x.conv1d(3, 3).padding(Padding.SAME);
        ModelSpec spec = g.add(a, b).lstm(4).lastStep().dense(2).build();
        assertTrue(spec.node(4).layer() instanceof dev.mote.dsl.LayerSpec.Lstm, spec.toString());
        TrainedModel m = randomModel(spec, 31);
        float[][] examples = randomExamples(8, 16, 32);
        float[][] predicted = Predictor.floatModel(m).predict(examples);
        for (int e = 0; e < examples.length; e++) {
            double[][] seq = SequenceReference.sequence(examples[e], 8, 2);
            double[][] left = SequenceReference.conv1d(seq, m.weights(1), m.bias(1), 3, 1, 1, 1, false);
            double[][] right = SequenceReference.conv1d(seq, m.weights(2), m.bias(2), 3, 3, 1, 1, true);
            for (int t = 0; t < 8; t++) {
                for (int c = 0; c < 3; c++) {
                    left[t][c] += right[t][c];
                }
            }
            SequenceReference.LstmRun run = SequenceReference.lstm(left, m.weights(4), m.bias(4), 4);
            double[] expected = SequenceReference.dense(run.h()[7], m.weights(6), m.bias(6), 2);
            for (int o = 0; o < 2; o++) {
                assertEquals(expected[o], predicted[e][o], 1e-4);
            }
        }
        // and it trains and fine-tunes as a ComputationGraph
        TrainingData data = TrainingData.of(examples, randomExamples(8, 2, 33));
        TrainedModel trained = trainer(2, 0.01).train(spec, data);
        assertNotNull(trained.cellStateRange(4));
        assertNotNull(trainer(1, 0.001).fineTuneQuantized(trained, data).cellStateRange(4));
    }

    static ValueRange[] filled(ModelSpec spec) {
        ValueRange[] ranges = new ValueRange[spec.nodes().size()];
        java.util.Arrays.fill(ranges, new ValueRange(-1f, 1f));
        return ranges;
    }

    /** Sine, square or sawtooth (random frequency and phase, noise) on channel 0, its noisy derivative on channel 1. */
    static TrainingData waves(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][STEPS * CHANNELS];
        int[] labels = new int[n];
        for (int e = 0; e < n; e++) {
            int kind = e % 3;
            labels[e] = kind;
            double period = 8 + r.nextDouble() * 10;
            double phase = r.nextDouble();
            double amplitude = 0.6 + r.nextDouble() * 0.6;
            double previous = 0;
            for (int t = 0; t < STEPS; t++) {
                double u = (t / period + phase) % 1.0;
                double v = switch (kind) {
                    case 0 -> Math.sin(2 * Math.PI * u);
                    case 1 -> u < 0.5 ? 1 : -1;
                    default -> 2 * u - 1;
                };
                v = amplitude * v + r.nextGaussian() * 0.1;
                x[e][t * CHANNELS] = (float) v;
                x[e][t * CHANNELS + 1] = (float) (t == 0 ? 0 : v - previous);
                previous = v;
            }
        }
        return TrainingData.classification(x, labels, 3);
    }

    static ModelSpec lstmWaves() {
        return MicroModel.sequential("waves_lstm").input(STEPS, CHANNELS).lstm(16).lastStep().dense(3).softmax()
                .build();
    }

    static ModelSpec convWaves() {
        return MicroModel.sequential("waves_conv").input(STEPS, CHANNELS)
                .conv1d(8, 5).padding(Padding.SAME).relu().maxPool1d(2)
                .conv1d(8, 3).relu()
                .globalAvgPool1d()
                .dense(3).softmax()
                .build();
    }

    static Trainer trainer(int epochs, double lr) {
        return Trainer.builder().epochs(epochs).batchSize(64).learningRate(lr).seed(42).progressBar(false).build();
    }

    private static TrainedModel wavesLstm;
    private static double wavesLstmSeconds;

    /** The float LSTM trained on {@code waves(600, 1)}, once for the tests that need it. */
    static synchronized TrainedModel wavesLstm() {
        if (wavesLstm == null) {
            long start = System.nanoTime();
            wavesLstm = trainer(12, 0.02).train(lstmWaves(), waves(600, 1));
            wavesLstmSeconds = (System.nanoTime() - start) / 1e9;
        }
        return wavesLstm;
    }

    @Test
    void lstmAndConv1dLearnToTellWavesApart() {
        TrainingData train = waves(600, 1);
        TrainingData test = waves(300, 2);
        TrainedModel lstm = wavesLstm();
        double lstmSeconds = wavesLstmSeconds;
        long start = System.nanoTime();
        TrainedModel conv = trainer(12, 0.02).train(convWaves(), train);
        double convSeconds = (System.nanoTime() - start) / 1e9;
        double lstmAcc = Predictor.floatModel(lstm).accuracy(test);
        double convAcc = Predictor.floatModel(conv).accuracy(test);
        System.out.printf("waves: LSTM(16) accuracy %.3f in %.1f s, Conv1D accuracy %.3f in %.1f s (600 examples, 12 epochs)%n",
                lstmAcc, lstmSeconds, convAcc, convSeconds);
        assertTrue(lstmAcc > 0.9, "LSTM accuracy " + lstmAcc);
        assertTrue(convAcc > 0.9, "Conv1D accuracy " + convAcc);
        // float training records the cell-state range of the training features
        assertNotNull(lstm.cellStateRange(1));
        assertNull(lstm.cellStateRange(2));
    }

    @Test
    void lstmRegressesTheMeanOfASequence() {
        Random r = new Random(4);
        int n = 600;
        float[][] x = new float[n][16];
        float[][] y = new float[n][1];
        for (int e = 0; e < n; e++) {
            double sum = 0;
            for (int t = 0; t < 16; t++) {
                x[e][t] = (float) (r.nextDouble() * 2 - 1);
                sum += x[e][t];
            }
            y[e][0] = (float) (sum / 16);
        }
        ModelSpec spec = MicroModel.sequential("mean").input(16, 1).lstm(8).lastStep().dense(1).build();
        TrainedModel m = trainer(12, 0.02).train(spec, TrainingData.of(x, y));
        double mae = Predictor.floatModel(m).meanAbsoluteError(TrainingData.of(x, y));
        // a batch may also come as [n, steps, features]: the same values, step-major
        INDArray asSequences = Nd4j.create(x).reshape('c', n, 16, 1);
        assertEquals(Nd4j.create(Predictor.floatModel(m).predict(x)), Predictor.floatModel(m).predict(asSequences));
        System.out.printf("mean regression: LSTM(8) MAE %.4f (target spread %.3f)%n", mae, 0.144);
        assertTrue(mae < 0.05, "MAE " + mae);
    }

    @Test
    void calibratedCellStateRangeIsTheReferenceRange() {
        TrainedModel m = randomModel(lstmSpec(), 9);
        float[][] x = randomExamples(40, 36, 10);
        TrainedModel calibrated = Calibrator.minMax().batchSize(16).calibrate(m, x);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float[] example : x) {
            double[][] seq = SequenceReference.sequence(example, 12, 3);
            double[][] conv = SequenceReference.relu(SequenceReference.conv1d(seq, m.weights(1), m.bias(1), 4, 3, 1,
                    1, true));
            SequenceReference.LstmRun run = SequenceReference.lstm(SequenceReference.pool1d(conv, 2, true),
                    m.weights(4), m.bias(4), 5);
            for (double[] step : run.c()) {
                for (double v : step) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        ValueRange cell = calibrated.cellStateRange(4);
        assertEquals(lo, cell.min(), 1e-4);
        assertEquals(hi, cell.max(), 1e-4);
        assertTrue(hi - lo > 1, "a cell state that exceeds tanh's range: " + lo + " .. " + hi);
        assertNull(calibrated.cellStateRange(1));
        // the percentile calibrator clips activations, not the cell state
        assertEquals(cell, Calibrator.percentile(99).calibrate(m, x).cellStateRange(4));
    }

    @Test
    void quantizationAwareTrainingOfSequencesKeepsAccuracyAndTracksTheCellState() {
        TrainingData train = waves(600, 1);
        TrainingData test = waves(300, 6);
        TrainedModel lstm = wavesLstm();
        TrainedModel ptq = Calibrator.minMax().calibrate(lstm, train);
        double floatAcc = Predictor.floatModel(ptq).accuracy(test);
        double ptqAcc = Predictor.int8Simulation(ptq).accuracy(test);
        TrainedModel qat = trainer(2, 0.002).fineTuneQuantized(ptq, train);
        double qatAcc = Predictor.int8Simulation(qat).accuracy(test);
        TrainedModel convQat = trainer(2, 0.002).fineTuneQuantized(
                Calibrator.minMax().calibrate(trainer(12, 0.02).train(convWaves(), train), train), train);
        double convQatAcc = Predictor.int8Simulation(convQat).accuracy(test);
        System.out.printf("QAT waves: LSTM float %.3f, int8 simulation PTQ %.3f, QAT %.3f; Conv1D QAT %.3f;"
                        + " cell state calibrated %s, QAT %s%n", floatAcc, ptqAcc, qatAcc, convQatAcc,
                ptq.cellStateRange(1), qat.cellStateRange(1));
        assertTrue(qatAcc > floatAcc - 0.05, "QAT accuracy " + qatAcc + " vs float " + floatAcc);
        assertTrue(convQatAcc > 0.85, "Conv1D QAT accuracy " + convQatAcc);
        ValueRange tracked = qat.cellStateRange(1);
        assertNotNull(tracked);
        assertTrue(tracked.max() > 0.2 && tracked.max() < 2 * ptq.cellStateRange(1).max() + 0.5,
                "tracked " + tracked + " vs calibrated " + ptq.cellStateRange(1));
    }

    @Test
    void lstmWeightsAreFakeQuantizedPerGateMatrix() {
        float[] w = new float[3 * 8];
        Random r = new Random(1);
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) r.nextGaussian() * (1 + (k % 8) / 2); // each gate block its own magnitude
        }
        INDArray dl4j = Nd4j.create(w, new long[] {3, 8}, 'c');
        float[] fq = TfliteLayout.flat(FakeQuantWeightNoise.fakeQuantize(dl4j, FakeQuantWeightNoise.Granularity.LSTM_GATES));
        for (int gate = 0; gate < 4; gate++) {
            float maxAbs = 0;
            for (int row = 0; row < 3; row++) {
                for (int c = gate * 2; c < gate * 2 + 2; c++) {
                    maxAbs = Math.max(maxAbs, Math.abs(w[row * 8 + c]));
                }
            }
            float scale = dev.mote.vocabulary.QuantizationRules.weightScale(maxAbs);
            for (int row = 0; row < 3; row++) {
                for (int c = gate * 2; c < gate * 2 + 2; c++) {
                    float expected = dev.mote.vocabulary.QuantizationRules.quantizeWeight(w[row * 8 + c], scale) * scale;
                    assertEquals(expected, fq[row * 8 + c], 0f);
                }
            }
        }
    }

    @Test
    void savedAndLoadedSequenceModelsPredictTheSame(@TempDir Path dir) {
        for (ModelSpec spec : new ModelSpec[] {lstmSpec(), convSpec(), gapSpec()}) {
            int values = (int) spec.inputShape().elementCount();
            float[][] x = randomExamples(16, values, 11);
            TrainedModel m = Calibrator.minMax().calibrate(randomModel(spec, 12), x);
            Path file = dir.resolve(spec.name() + ".mote");
            m.save(file);
            TrainedModel loaded = TrainedModel.load(file);
            assertEquals(m.spec(), loaded.spec());
            float[][] before = Predictor.floatModel(m).predict(x);
            float[][] after = Predictor.floatModel(loaded).predict(x);
            for (int e = 0; e < x.length; e++) {
                assertArrayEquals(before[e], after[e], 0f);
            }
            for (int i = 0; i < spec.nodes().size(); i++) {
                assertEquals(m.cellStateRange(i), loaded.cellStateRange(i));
                assertEquals(m.outputRange(i), loaded.outputRange(i));
            }
        }
    }

    @Test
    void sequenceOutputsAreRefusedNamingTheLayer() {
        ModelSpec spec = MicroModel.sequential("seq_out").input(8, 2).lstm(3).build();
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class,
                () -> trainer(1, 0.01).train(spec, TrainingData.of(randomExamples(4, 16, 1), randomExamples(4, 24, 2))));
        assertTrue(e.getMessage().contains("lstm"), e.getMessage());
    }

    @Test
    void trainingDataOfTheWrongLengthIsRefused() {
        InvalidTrainingDataException e = assertThrows(InvalidTrainingDataException.class,
                () -> trainer(1, 0.01).train(lstmWaves(), TrainingData.classification(randomExamples(4, 63, 1),
                        new int[] {0, 1, 2, 0}, 3)));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
    }
}
