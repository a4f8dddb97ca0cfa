package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.DesktopQuantize;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import org.junit.jupiter.api.Test;

import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QUANTIZE (float32 → int8, int8 → int8) and DEQUANTIZE (int8 → float32) in Mote and in desktop TFLite on seeded
 * random single-op models.
 *
 * <p>float32 → int8: TFLM's reference {@code AffineQuantize} divides in float ({@code roundf(x / (float) scale)}),
 * desktop TFLite 2.8 divides in double ({@code round(x / (double) scale)}). They differ exactly when the float
 * quotient rounds onto (or across) a .5 boundary that the exact quotient does not reach. A third of the inputs are
 * placed near such boundaries on purpose. Every element of desktop TFLite's output must equal the double-division
 * formula, every element of Mote's the float-division formula, and every difference is then that known case (1
 * LSB); the test counts them. int8 → int8 and DEQUANTIZE must be identical.
 */
class QuantizeDequantizeTfliteTest {
    private static final int CASES = 300;

    @Test
    void floatToInt8DiffersFromDesktopTfliteOnlyByItsDoubleDivision() {
        RandomCases r = new RandomCases(6001);
        long elements = 0;
        int differing = 0;
        int differingUniform = 0;
        for (int c = 0; c < CASES; c++) {
            int[] shape = r.shape(4, 1);
            float scale = r.scale(0.0005, 1.0);
            int zp = r.zeroPoint();
            SingleOpModel model = new SingleOpModel(BuiltinOperator.QUANTIZE, 1, BuiltinOptions.NONE)
                    .input(TensorType.FLOAT32, shape, Quantization.NONE)
                    .output(TensorType.INT8, shape, Quantization.perTensor(scale, zp));
            int n = elementCount(shape);
            float[] x = r.floats(n, -150 * scale, 150 * scale);
            for (int i = 0; i < n; i += 3) { // near a rounding boundary
                x[i] = (float) ((Math.floor(x[i] / scale) + 0.5) * scale);
            }
            byte[] mote = model.runMote(LittleEndian.floats(x));
            byte[] tflite = model.runTflite(LittleEndian.floats(x));
            for (int i = 0; i < n; i++) {
                assertEquals(DesktopQuantize.desktop(x[i], scale, zp), tflite[i], "desktop TFLite is not double division at "
                        + x[i] + " / " + scale);
                assertEquals(DesktopQuantize.tflm(x[i], scale, zp), mote[i], "Mote is not TFLM's float division at " + x[i]
                        + " / " + scale);
                if (mote[i] != tflite[i]) {
                    assertEquals(1, Math.abs(mote[i] - tflite[i]));
                    differing++;
                    if (i % 3 != 0) {
                        differingUniform++;
                    }
                }
            }
            elements += n;
        }
        System.out.printf("QUANTIZE float32->int8: %d cases, %d elements, %d differ from desktop TFLite (%d of them "
                + "among the uniformly random two thirds), each a 1 LSB rounding of float versus double division%n",
                CASES, elements, differing, differingUniform);
        assertTrue(differing > 0, "the near-boundary inputs should show the known difference");
    }

    @Test
    void int8ToInt8IdenticalToDesktopTflite() {
        RandomCases r = new RandomCases(6002);
        long elements = 0;
        int differing = 0;
        for (int c = 0; c < CASES; c++) {
            int[] shape = r.shape(4, 256);
            SingleOpModel model = new SingleOpModel(BuiltinOperator.QUANTIZE, 2, BuiltinOptions.NONE)
                    .input(TensorType.INT8, shape, Quantization.perTensor(r.scale(0.001, 0.5), r.zeroPoint()))
                    .output(TensorType.INT8, shape, Quantization.perTensor(r.scale(0.001, 0.5), r.zeroPoint()));
            byte[] in = r.int8sCoveringAll(elementCount(shape));
            byte[] mote = model.runMote(in);
            byte[] tflite = model.runTflite(in);
            for (int i = 0; i < in.length; i++) {
                if (mote[i] != tflite[i]) {
                    differing++;
                    System.out.printf("QUANTIZE int8 case %d: %d -> Mote %d, TFLite %d%n", c, in[i], mote[i],
                            tflite[i]);
                }
            }
            elements += in.length;
        }
        System.out.printf("QUANTIZE int8->int8: %d cases, %d elements, %d differ from desktop TFLite%n", CASES,
                elements, differing);
        assertEquals(0, differing);
    }

    @Test
    void dequantizeIdenticalToDesktopTflite() {
        RandomCases r = new RandomCases(6003);
        long elements = 0;
        int differing = 0;
        for (int c = 0; c < CASES; c++) {
            int[] shape = r.shape(4, 256);
            SingleOpModel model = new SingleOpModel(BuiltinOperator.DEQUANTIZE, 2, BuiltinOptions.NONE)
                    .input(TensorType.INT8, shape, Quantization.perTensor(r.scale(0.0001, 10), r.zeroPoint()))
                    .output(TensorType.FLOAT32, shape, Quantization.NONE);
            byte[] in = r.int8sCoveringAll(elementCount(shape));
            float[] mote = LittleEndian.toFloats(model.runMote(in));
            float[] tflite = LittleEndian.toFloats(model.runTflite(in));
            for (int i = 0; i < in.length; i++) {
                if (Float.floatToIntBits(mote[i]) != Float.floatToIntBits(tflite[i])) {
                    differing++;
                    System.out.printf("DEQUANTIZE case %d: %d -> Mote %s, TFLite %s%n", c, in[i], mote[i], tflite[i]);
                }
            }
            elements += in.length;
        }
        System.out.printf("DEQUANTIZE int8->float32: %d cases, %d elements, %d differ from desktop TFLite (bitwise)%n",
                CASES, elements, differing);
        assertEquals(0, differing);
    }
}
