package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The two int8 paths of CONV_2D and DEPTHWISE_CONV_2D give the same bytes: a constant filter and bias take the fast
 * path repacked at prepare ({@link Int8PatchConvolution}, {@link Int8DepthwiseChannels}), the same filter fed as a
 * graph input takes the general loops. Both are also checked against TFLite and TFLM's arithmetic by the
 * {@code *TfliteTest} classes; this test pins the general loops, which only non-constant filters reach.
 */
class ConvolutionPathsTest {
    private static final int CASES = 150;

    @Test
    void conv2dFilterAsInputEqualsConstantFilter() {
        for (int seed = 1; seed <= CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 86028121L));
            Conv2DTfliteTest.Case c = seed % 3 == 0 ? Conv2DTfliteTest.Case.wide(seed, r)
                    : Conv2DTfliteTest.Case.random(seed, r);
            Operands o = Operands.random(r, c.outC(), c.fH() * c.fW() * c.inC() * c.outC(),
                    c.batch() * c.inH() * c.inW() * c.inC());
            byte[] constant = Conv2DTfliteTest.int8Model(c, o.inScale, o.inZp, o.fScales, o.weights, o.bias,
                    o.outScale, o.outZp);
            byte[] asInput = filterAsInput(BuiltinOperator.CONV_2D, c.options(), c.inputShape(), c.filterShape(),
                    c.outputShape(), 0, o);
            assertArrayEquals(ModelRuns.mote(constant, o.input), ModelRuns.mote(asInput, o.input, o.weights),
                    c.toString());
        }
    }

    @Test
    void depthwiseFilterAsInputEqualsConstantFilter() {
        for (int seed = 1; seed <= CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 49979687L));
            DepthwiseConv2DTfliteTest.Case c = seed % 3 == 0 ? DepthwiseConv2DTfliteTest.Case.wide(r)
                    : DepthwiseConv2DTfliteTest.Case.random(r);
            Operands o = Operands.random(r, c.outC(), c.fH() * c.fW() * c.outC(),
                    c.batch() * c.inH() * c.inW() * c.inC());
            byte[] constant = DepthwiseConv2DTfliteTest.int8Model(c, o.inScale, o.inZp, o.fScales, o.weights, o.bias,
                    o.outScale, o.outZp);
            byte[] asInput = filterAsInput(BuiltinOperator.DEPTHWISE_CONV_2D, c.options(), c.inputShape(),
                    c.filterShape(), c.outputShape(), 3, o);
            assertArrayEquals(ModelRuns.mote(constant, o.input), ModelRuns.mote(asInput, o.input, o.weights),
                    c.toString());
        }
    }

    /** Quantization and data of one case; {@code bias == null} in one case of five. */
    private record Operands(float inScale, int inZp, float[] fScales, byte[] weights, int[] bias, float outScale,
                            int outZp, byte[] input) {
        static Operands random(RandomCases r, int channels, int weightCount, int inputCount) {
            float inScale = r.scale(0.002, 0.1);
            int inZp = r.nextInt(256) - 128;
            float[] fScales = new float[r.nextInt(4) == 0 ? 1 : channels];
            for (int i = 0; i < fScales.length; i++) {
                fScales[i] = r.scale(0.0005, 0.05);
            }
            byte[] weights = new byte[weightCount];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (byte) (r.nextInt(255) - 127);
            }
            int[] bias = null;
            if (r.nextInt(5) != 0) {
                bias = new int[channels];
                for (int i = 0; i < channels; i++) {
                    bias[i] = r.nextInt(200_001) - 100_000;
                }
            }
            double depth = (double) weightCount / channels;
            float outScale = (float) (inScale * fScales[0] * Math.sqrt(depth) * 40 * r.scale(0.25, 2));
            byte[] input = new byte[inputCount];
            for (int i = 0; i < input.length; i++) {
                input[i] = (byte) r.nextInt(256);
            }
            return new Operands(inScale, inZp, fScales, weights, bias, outScale, r.nextInt(256) - 128, input);
        }
    }

    private static byte[] filterAsInput(BuiltinOperator op, BuiltinOptions options, int[] inShape, int[] filterShape,
                                        int[] outShape, int channelDimension, Operands o) {
        long[] zeros = new long[o.fScales.length];
        SingleOpModel m = new SingleOpModel(op, 3, options)
                .input(TensorType.INT8, inShape, Quantization.perTensor(o.inScale, o.inZp))
                .input(TensorType.INT8, filterShape, Quantization.perChannel(o.fScales, zeros, channelDimension));
        if (o.bias != null) {
            float[] bScales = new float[o.fScales.length];
            for (int i = 0; i < bScales.length; i++) {
                bScales[i] = o.inScale * o.fScales[i];
            }
            m.int32Constant(new int[] {o.bias.length}, o.bias, Quantization.perChannel(bScales, zeros, 0));
        }
        return m.output(TensorType.INT8, outShape, Quantization.perTensor(o.outScale, o.outZp)).bytes();
    }
}
