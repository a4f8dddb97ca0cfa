package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.DesktopSoftmax;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import org.junit.jupiter.api.Test;

import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SOFTMAX in Mote and in desktop TFLite on seeded random single-op models: random shapes up to 4-D (the last
 * dimension is the softmax axis, 1 to 300 wide), input scales, zero points and betas; int8 output with scale 1/256
 * and zero point -128, int16 output with 1/65536 and -32768, as TFLM requires. Inputs are random, or clustered
 * near the row maximum (many equal maxima). Desktop TFLite 2.8 computes quantized softmax with a float lookup
 * table ({@link DesktopSoftmax}); TFLM (and Mote) with the fixed-point reference arithmetic. Every element of
 * desktop TFLite's output is checked against an independent recomputation of its lookup-table formula, and every
 * element where Mote differs from it must differ by exactly 1; the test counts those.
 */
class SoftmaxTfliteTest {
    private static final int CASES = 400;

    private static float beta(RandomCases r, int c) {
        return c % 3 == 0 ? 1f : 0.05f + r.nextFloat() * 4f;
    }

    private static byte[] input(RandomCases r, int n, int c) {
        byte[] in = r.int8s(n);
        if (c % 4 == 1) { // clustered: most values within a few steps of 127 - k
            int top = r.between(-100, 127);
            for (int i = 0; i < n; i++) {
                in[i] = (byte) Math.max(-128, top - r.between(0, 6));
            }
        }
        return in;
    }

    @Test
    void int8DiffersFromDesktopTfliteOnlyByItsLookupTable() {
        RandomCases r = new RandomCases(3001);
        long elements = 0;
        int differing = 0;
        for (int c = 0; c < CASES; c++) {
            int[] shape = r.shape(4, 1);
            float inScale = r.scale(0.002, 1.0);
            int inZp = r.zeroPoint();
            float beta = beta(r, c);
            if (beta * inScale * (1 << 26) <= 1) {
                continue;
            }
            SingleOpModel model = new SingleOpModel(BuiltinOperator.SOFTMAX, 2, new BuiltinOptions.Softmax(beta))
                    .input(TensorType.INT8, shape, Quantization.perTensor(inScale, inZp))
                    .output(TensorType.INT8, shape, Quantization.perTensor(1f / 256, -128));
            int n = elementCount(shape);
            byte[] in = input(r, n, c);
            byte[] moteRaw = model.runMote(in);
            byte[] tfliteRaw = model.runTflite(in);
            int[] mote = LittleEndian.toInt8s(moteRaw);
            int[] tflite = LittleEndian.toInt8s(tfliteRaw);
            differing += new DesktopSoftmax(inScale, beta, 1f / 256, -128, false)
                    .proveRows("int8 case " + c, in, shape[shape.length - 1], mote, tflite);
            elements += n;
        }
        System.out.printf("SOFTMAX int8: %d cases, %d elements, %d differ from desktop TFLite, each by 1 LSB and "
                + "reproduced by desktop TFLite's float lookup-table softmax%n", CASES, elements, differing);
        assertTrue(differing < elements / 1000, "differences should be rare: " + differing);
    }

    @Test
    void int16DiffersFromDesktopTfliteOnlyByItsLookupTable() {
        RandomCases r = new RandomCases(3002);
        long elements = 0;
        int differing = 0;
        int cases = 100;
        for (int c = 0; c < cases; c++) {
            int[] shape = r.shape(3, 1);
            float inScale = r.scale(0.002, 1.0);
            float beta = beta(r, c);
            SingleOpModel model = new SingleOpModel(BuiltinOperator.SOFTMAX, 3, new BuiltinOptions.Softmax(beta))
                    .input(TensorType.INT8, shape, Quantization.perTensor(inScale, r.zeroPoint()))
                    .output(TensorType.INT16, shape, Quantization.perTensor(1f / 65536, -32768));
            int n = elementCount(shape);
            byte[] in = input(r, n, c);
            int[] mote = LittleEndian.toShorts(model.runMote(in));
            int[] tflite = LittleEndian.toShorts(model.runTflite(in));
            differing += new DesktopSoftmax(inScale, beta, 1f / 65536, -32768, true)
                    .proveRows("int16 case " + c, in, shape[shape.length - 1], mote, tflite);
            elements += n;
        }
        System.out.printf("SOFTMAX int8->int16: %d cases, %d elements, %d differ from desktop TFLite, each by 1 LSB "
                + "and reproduced by desktop TFLite's float lookup-table softmax%n", cases, elements, differing);
        assertTrue(differing < elements / 100, "differences should be rare: " + differing);
    }

    @Test
    void float32MatchesDesktopTflite() {
        RandomCases r = new RandomCases(3003);
        double worst = 0;
        for (int c = 0; c < 60; c++) {
            int[] shape = r.shape(4, 1);
            SingleOpModel model = new SingleOpModel(BuiltinOperator.SOFTMAX, 1, new BuiltinOptions.Softmax(beta(r, c)))
                    .input(TensorType.FLOAT32, shape, Quantization.NONE)
                    .output(TensorType.FLOAT32, shape, Quantization.NONE);
            float[] x = r.floats(elementCount(shape), -8f, 8f);
            float[] mote = LittleEndian.toFloats(model.runMote(LittleEndian.floats(x)));
            float[] tflite = LittleEndian.toFloats(model.runTflite(LittleEndian.floats(x)));
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(mote[i] - tflite[i]));
            }
        }
        System.out.printf("SOFTMAX float32: 60 cases, largest absolute difference from desktop TFLite %.3g%n", worst);
        assertTrue(worst <= 1e-6, "largest absolute difference " + worst);
    }
}
