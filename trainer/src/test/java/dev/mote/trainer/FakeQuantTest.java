package dev.mote.trainer;

import dev.mote.vocabulary.FixedRange;
import dev.mote.vocabulary.Rounding;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake-quant forward pass equals TFLite's quantize → dequantize, for activations and weights. */
class FakeQuantTest {

    @Test
    void activationParametersFollowTflite() {
        FakeQuant.ActivationParams sym = FakeQuant.ActivationParams.of(-1f, 1f);
        assertEquals(2f / 255f, sym.scale(), 1e-9);
        assertEquals(-1, sym.zeroPoint()); // -128 + 127.5 = -0.5 rounds away from zero
        FakeQuant.ActivationParams unit = FakeQuant.ActivationParams.of(ValueRange.of(FixedRange.UNIT_INTERVAL));
        assertEquals(1f / 256f, unit.scale(), 0f);
        assertEquals(-128, unit.zeroPoint());
        FakeQuant.ActivationParams tanh = FakeQuant.ActivationParams.of(ValueRange.of(FixedRange.SYMMETRIC_UNIT));
        assertEquals(1f / 128f, tanh.scale(), 0f);
        assertEquals(0, tanh.zeroPoint());
        FakeQuant.ActivationParams positive = FakeQuant.ActivationParams.of(0.5f, 6f); // widened to [0, 6]
        assertEquals(6f / 255f, positive.scale(), 1e-9);
        assertEquals(-128, positive.zeroPoint());
        assertEquals(0f, positive.fakeQuantize(0f), 0f);
        assertEquals(6f, positive.fakeQuantize(100f), 1e-6f);
        assertEquals(-3f, Rounding.halfAwayFromZero(-2.5f), 0f);
        assertEquals(3f, Rounding.halfAwayFromZero(2.5f), 0f);
    }

    @Test
    void fakeQuantActivationEqualsQuantizeDequantize() {
        RangeTracker tracker = RangeTracker.movingAverage(0.9, new ValueRange(-0.7f, 2.3f));
        FakeQuantActivation fq = new FakeQuantActivation(1, tracker);
        Random r = new Random(1);
        float[] x = new float[500];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 1.5);
        }
        INDArray out = fq.getActivation(Nd4j.create(x, new long[] {5, 100}, 'c'), false);
        FakeQuant.ActivationParams p = FakeQuant.ActivationParams.of(-0.7f, 2.3f);
        float[] actual = TfliteLayout.flat(out);
        for (int i = 0; i < x.length; i++) {
            int q = p.quantize(x[i]);
            assertTrue(q >= -128 && q <= 127);
            assertEquals((q - p.zeroPoint()) * p.scale(), actual[i], 0f, "element " + i);
        }
        assertEquals(new ValueRange(-0.7f, 2.3f), tracker.range(), "inference must not move the range");
    }

    @Test
    void movingAverageFollowsTrainingBatches() {
        RangeTracker tracker = RangeTracker.movingAverage(0.5, new ValueRange(-1f, 1f));
        FakeQuantActivation fq = new FakeQuantActivation(1, tracker);
        fq.getActivation(Nd4j.create(new float[] {-3f, 0f, 5f}, new long[] {1, 3}, 'c'), true);
        assertEquals(new ValueRange(-2f, 3f), tracker.range());
        RangeTracker fixed = RangeTracker.fixed(ValueRange.of(FixedRange.UNIT_INTERVAL));
        new FakeQuantActivation(2, fixed).getActivation(Nd4j.create(new float[] {-3f, 5f}, new long[] {1, 2}, 'c'),
                true);
        assertEquals(ValueRange.of(FixedRange.UNIT_INTERVAL), fixed.range());
    }

    @Test
    void straightThroughGradientPassesInsideTheRangeOnly() {
        FakeQuantActivation fq = new FakeQuantActivation(1,
                RangeTracker.movingAverage(0.9, new ValueRange(-1f, 1f)));
        INDArray in = Nd4j.create(new float[] {-2f, -0.5f, 0.3f, 0.99f, 1.5f}, new long[] {1, 5}, 'c');
        INDArray eps = Nd4j.create(new float[] {1f, 2f, 3f, 4f, 5f}, new long[] {1, 5}, 'c');
        float[] grad = TfliteLayout.flat(fq.backprop(in, eps).getFirst());
        assertArrayEquals(new float[] {0f, 2f, 3f, 4f, 0f}, grad, 0f);
    }

    /** Weights: per output channel for Conv2D (TFLite axis 0) and DepthwiseConv2D (axis 3), per tensor for Dense. */
    @Test
    void fakeQuantWeightsEqualPerChannelQuantizeDequantizeInTfliteLayout() {
        ModelSpec spec = TestNets.cnn();
        SpecNetwork floatNet = TestNets.floatNetwork(spec, 3);
        TestNets.randomizeBatchNorm(floatNet, 4);
        TrainedModel model = ParameterTransfer.extract(floatNet, TestNets.unitRanges(spec),
                QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN);
        SpecNetwork qat = NetworkFactory.build(spec, new NetworkFactory.Options(NetworkFactory.Mode.FAKE_QUANT, 1,
                1e-3, Loss.AUTO, TestNets.unitRanges(spec), 0.99));
        ParameterTransfer.load(model, qat);
        int checked = 0;
        for (LayerNode node : spec.nodes()) {
            if (model.weightShape(node.index()) == null) {
                continue;
            }
            Layer layer = qat.layer(node.index());
            INDArray noisy = new FakeQuantWeightNoise(granularity(node)).getParameter(layer, "W", 0, 0, false,
                    LayerWorkspaceMgr.noWorkspaces());
            float[] actual = ParameterTransfer.weightsToTflite(spec, node, noisy);
            float[] expected = quantizeDequantize(model.weights(node.index()), model.weightShape(node.index()),
                    node.layer());
            assertArrayEquals(expected, actual, 1e-7f, node.name());
            checked++;
        }
        assertEquals(3, checked);
    }

    private static FakeQuantWeightNoise.Granularity granularity(LayerNode node) {
        if (node.layer() instanceof LayerSpec.Conv2D) {
            return FakeQuantWeightNoise.Granularity.PER_CHANNEL_LEADING;
        }
        return node.layer() instanceof LayerSpec.DepthwiseConv2D
                ? FakeQuantWeightNoise.Granularity.PER_CHANNEL_TRAILING : FakeQuantWeightNoise.Granularity.PER_TENSOR;
    }

    /** Symmetric int8 in TFLite layout, written independently of {@link FakeQuant#fakeQuantizeWeights}. */
    static float[] quantizeDequantize(float[] w, int[] shape, LayerSpec layer) {
        int channels = layer instanceof LayerSpec.Conv2D ? shape[0]
                : layer instanceof LayerSpec.DepthwiseConv2D ? shape[3] : 1;
        float[] out = new float[w.length];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = 0; i < w.length; i++) {
                if (channelOf(i, w.length, channels, layer) == c) {
                    max = Math.max(max, Math.abs(w[i]));
                }
            }
            float scale = max / 127f;
            for (int i = 0; i < w.length; i++) {
                if (channelOf(i, w.length, channels, layer) == c) {
                    long q = Math.round((double) (w[i] / scale)); // no exact ties in random weights
                    assertTrue(Math.abs(q) <= 127);
                    out[i] = q * scale;
                }
            }
        }
        return out;
    }

    private static int channelOf(int i, int length, int channels, LayerSpec layer) {
        if (layer instanceof LayerSpec.DepthwiseConv2D) {
            return i % channels;
        }
        return i / (length / channels);
    }
}
