package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Prediction in chunks equals one forward pass over all examples, and mini-batches drawn by index hold the same
 * examples as the shuffled copy they replace.
 */
class PredictorTest {

    /** More examples than one chunk (256) so that the chunk boundaries are crossed. */
    private static final int EXAMPLES = 600;

    @Test
    void chunkedPredictionEqualsOneForwardPass() {
        ModelSpec spec = TestNets.cnn();
        TrainedModel model = CalibratorTest.randomModel(spec);
        INDArray x = TestNets.randomFeatures(spec, EXAMPLES, 5);
        Predictor predictor = Predictor.floatModel(model);
        INDArray chunked = predictor.predict(x);
        SpecNetwork net = NetworkFactory.build(spec,
                NetworkFactory.Options.of(NetworkFactory.Mode.FOLDED, 0, 1e-3, Loss.AUTO));
        ParameterTransfer.load(model, net);
        INDArray whole = net.output(TfliteLayout.featuresToDl4j(x, spec.inputShape()));
        assertArrayEquals(whole.shape(), chunked.shape());
        assertArrayEquals(TfliteLayout.flat(whole), TfliteLayout.flat(chunked), 1e-6f);
    }

    @Test
    void classifyIsTheArgMaxOfPredict() {
        ModelSpec spec = TestNets.cnn();
        Predictor predictor = Predictor.int8Simulation(CalibratorTest.randomModel(spec));
        float[][] examples = TestNets.randomFeatures(spec, EXAMPLES, 6).toFloatMatrix();
        float[][] outputs = predictor.predict(examples);
        int[] classes = predictor.classify(examples);
        assertEquals(EXAMPLES, classes.length);
        int[] distinct = new int[outputs[0].length];
        for (int i = 0; i < EXAMPLES; i++) {
            int best = 0;
            for (int c = 1; c < outputs[i].length; c++) {
                best = outputs[i][c] > outputs[i][best] ? c : best;
            }
            assertEquals(best, classes[i], "example " + i);
            distinct[best]++;
        }
        assertEquals(true, java.util.Arrays.stream(distinct).filter(k -> k > 0).count() > 1,
                "a random model should not predict one class only");
    }

    @ParameterizedTest(name = "cache up to {0} bytes")
    @ValueSource(longs = {0, Long.MAX_VALUE})
    void batchesDrawnByIndexHoldTheShuffledExamples(long cacheBytes) {
        ModelSpec spec = TestNets.mlp();
        int n = 50;
        INDArray x = TestNets.randomFeatures(spec, n, 7);
        float[][] y = new float[n][4];
        for (int i = 0; i < n; i++) {
            y[i][i % 4] = 1;
        }
        TrainingData data = TrainingData.of(x, org.nd4j.linalg.factory.Nd4j.create(y));
        TrainingData shuffled = data.shuffled(11);
        Batches batches = Batches.of(spec, data, TrainingData.permutation(n, 11), 16, cacheBytes);
        assertEquals(cacheBytes > 0, batches.cached());
        assertEquals(4, batches.count());
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int b = 0; b < batches.count(); b++) {
                DataSet batch = batches.get(b);
                TrainingData expected = shuffled.slice(16 * b, Math.min(n, 16 * (b + 1)));
                assertArrayEquals(TfliteLayout.flat(expected.features()), TfliteLayout.flat(batch.getFeatures()));
                assertArrayEquals(TfliteLayout.flat(expected.targets()), TfliteLayout.flat(batch.getLabels()));
                batches.release(batch);
            }
        }
    }
}
