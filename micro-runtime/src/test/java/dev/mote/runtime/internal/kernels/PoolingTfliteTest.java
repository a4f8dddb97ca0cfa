package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.runtime.testing.Windows;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MAX_POOL_2D and AVERAGE_POOL_2D on seeded random single-op models in Mote and in desktop TFLite. int8: Mote equals
 * an independent straight-line recomputation of the reference kernel (including AVERAGE_POOL's rounding of the
 * average half away from zero) and equals TFLite exactly. float32: within a relative tolerance.
 */
class PoolingTfliteTest {
    static final int CASES = 500;
    /** float tolerance: |mote - tflite| <= FLOAT_TOLERANCE * (1 + max |input| of the window). */
    static final double FLOAT_TOLERANCE = 1e-6;

    /** One random pooling window. */
    record Case(int batch, int inH, int inW, int depth, int fH, int fW, int strideH, int strideW, boolean same,
                Activation activation, int outH, int outW) {

        static Case random(RandomCases r) {
            while (true) {
                int inH = 1 + r.nextInt(12);
                int inW = 1 + r.nextInt(12);
                int fH = 1 + r.nextInt(5);
                int fW = 1 + r.nextInt(5);
                boolean same = r.nextBoolean();
                if (!same && (fH > inH || fW > inW)) {
                    continue;
                }
                int strideH = 1 + r.nextInt(3);
                int strideW = 1 + r.nextInt(3);
                return new Case(1 + r.nextInt(2), inH, inW, 1 + r.nextInt(16), fH, fW, strideH, strideW, same,
                        Activation.values()[r.nextInt(4)], Windows.outSize(same, inH, fH, strideH, 1),
                        Windows.outSize(same, inW, fW, strideW, 1));
            }
        }

        BuiltinOptions.Pool2D options() {
            return new BuiltinOptions.Pool2D((same ? Padding.SAME : Padding.VALID).code(), strideW, strideH, fW, fH,
                    activation.code());
        }

        int inputSize() {
            return batch * inH * inW * depth;
        }

        /** The input indices of the window of output (b, oy, ox, c) that lie inside the image. */
        int[] window(int b, int oy, int ox, int c) {
            int padH = Windows.padBefore(inH, fH, strideH, 1, outH);
            int padW = Windows.padBefore(inW, fW, strideW, 1, outW);
            int[] taps = new int[fH * fW];
            int n = 0;
            for (int fy = 0; fy < fH; fy++) {
                for (int fx = 0; fx < fW; fx++) {
                    int iy = oy * strideH - padH + fy;
                    int ix = ox * strideW - padW + fx;
                    if (iy >= 0 && iy < inH && ix >= 0 && ix < inW) {
                        taps[n++] = ((b * inH + iy) * inW + ix) * depth + c;
                    }
                }
            }
            return java.util.Arrays.copyOf(taps, n);
        }

        int outputIndex(int b, int oy, int ox, int c) {
            return ((b * outH + oy) * outW + ox) * depth + c;
        }
    }

    static byte[] model(BuiltinOperator op, Case c, TensorType type, Quantization q) {
        return new SingleOpModel(op, type == TensorType.INT8 ? 2 : 1, c.options())
                .input(type, new int[] {c.batch, c.inH, c.inW, c.depth}, q)
                .output(type, new int[] {c.batch, c.outH, c.outW, c.depth}, q)
                .bytes();
    }

    @Test
    void maxPoolInt8MatchesTfliteExactly() {
        int8(BuiltinOperator.MAX_POOL_2D, 11);
    }

    @Test
    void averagePoolInt8MatchesTfliteExactly() {
        int8(BuiltinOperator.AVERAGE_POOL_2D, 13);
    }

    @Test
    void maxPoolFloat32MatchesTflite() {
        float32(BuiltinOperator.MAX_POOL_2D, 17);
    }

    @Test
    void averagePoolFloat32MatchesTflite() {
        float32(BuiltinOperator.AVERAGE_POOL_2D, 19);
    }

    private static void int8(BuiltinOperator op, long salt) {
        long elements = 0;
        long halves = 0;
        for (int seed = 1; seed <= CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 7001L + salt));
            Case c = Case.random(r);
            float scale = r.scale(0.005, 0.1);
            int zp = r.nextInt(256) - 128;
            byte[] model = model(op, c, TensorType.INT8, Quantization.perTensor(scale, zp));
            byte[] input = new byte[c.inputSize()];
            for (int i = 0; i < input.length; i++) {
                input[i] = (byte) r.nextInt(256);
            }
            byte[] mote = ModelRuns.mote(model, input);
            byte[] tflite = ModelRuns.tflite(model, input);
            assertEquals(tflite.length, mote.length, "output size, " + c);
            QuantizedMath.IntRange range = QuantizedMath.activationRange(c.activation, scale, zp, -128, 127);
            for (int b = 0; b < c.batch; b++) {
                for (int oy = 0; oy < c.outH; oy++) {
                    for (int ox = 0; ox < c.outW; ox++) {
                        for (int ch = 0; ch < c.depth; ch++) {
                            int[] window = c.window(b, oy, ox, ch);
                            int value;
                            if (op == BuiltinOperator.MAX_POOL_2D) {
                                value = Byte.MIN_VALUE;
                                for (int t : window) {
                                    value = Math.max(value, input[t]);
                                }
                            } else {
                                long sum = 0;
                                for (int t : window) {
                                    sum += input[t];
                                }
                                // the average rounded half away from zero, computed in exact rational arithmetic
                                value = (int) Math.signum(sum) * (int) ((2 * Math.abs(sum) + window.length)
                                        / (2L * window.length));
                                halves += (2 * Math.abs(sum)) % (2L * window.length) == window.length ? 1 : 0;
                            }
                            int expected = Math.max(range.min(), Math.min(range.max(), value));
                            int i = c.outputIndex(b, oy, ox, ch);
                            assertEquals(expected, mote[i], () -> op + " Mote vs reference at " + i + ", " + c);
                            assertEquals(tflite[i], mote[i], () -> op + " Mote vs TFLite at " + i + ", " + c);
                            elements++;
                        }
                    }
                }
            }
        }
        System.out.printf("%s int8: %d cases, %d outputs, all identical to desktop TFLite%s%n", op, CASES, elements,
                op == BuiltinOperator.AVERAGE_POOL_2D ? " (" + halves + " averages were exact halves)" : "");
        assertTrue(elements > 10_000, "enough outputs compared: " + elements);
    }

    private static void float32(BuiltinOperator op, long salt) {
        long elements = 0;
        double worst = 0;
        for (int seed = 1; seed <= CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 7001L + salt));
            Case c = Case.random(r);
            byte[] model = model(op, c, TensorType.FLOAT32, Quantization.NONE);
            float[] values = new float[c.inputSize()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (r.nextDouble() * 8 - 4);
            }
            byte[] input = LittleEndian.floats(values);
            float[] mote = LittleEndian.toFloats(ModelRuns.mote(model, input));
            float[] tflite = LittleEndian.toFloats(ModelRuns.tflite(model, input));
            assertEquals(tflite.length, mote.length, "output size, " + c);
            for (int b = 0; b < c.batch; b++) {
                for (int oy = 0; oy < c.outH; oy++) {
                    for (int ox = 0; ox < c.outW; ox++) {
                        for (int ch = 0; ch < c.depth; ch++) {
                            double magnitude = 1;
                            for (int t : c.window(b, oy, ox, ch)) {
                                magnitude = Math.max(magnitude, 1 + Math.abs(values[t]));
                            }
                            int i = c.outputIndex(b, oy, ox, ch);
                            double diff = Math.abs(mote[i] - tflite[i]) / magnitude;
                            worst = Math.max(worst, diff);
                            assertTrue(diff <= FLOAT_TOLERANCE, () -> op + " Mote " + mote[i] + " vs TFLite " + tflite[i]
                                    + " at " + i + ", " + c);
                            elements++;
                        }
                    }
                }
            }
        }
        System.out.printf("%s float32: %d cases, %d outputs, largest |mote - tflite| / (1 + max |x|) = %.3g%n", op,
                CASES, elements, worst);
    }
}
