package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU and HARD_SWISH in Mote and in desktop TFLite on seeded random single-op
 * models: random shapes (up to 4-D), input scales and zero points, output quantization as TFLM accepts it (LOGISTIC
 * 1/256 and -128, TANH 1/128 and 0, RELU6 the input's, the others random), every int8 value in every case.
 * The int8 outputs must be identical: for these ops desktop TFLite 2.8 computes the same integer arithmetic as
 * TFLM's reference kernels (measured: no element differs), so no difference is tolerated. float32 outputs must
 * agree within 1e-5 relative (1e-6 absolute below 0.1): libm's {@code expf}/{@code tanhf} versus Java's
 * {@code Math.exp}/{@code Math.tanh}, and Eigen's rational logistic in desktop TFLite.
 */
class UnaryActivationsTfliteTest {
    private static final int INT8_CASES = 300;
    private static final int FLOAT_CASES = 40;

    enum Op {
        LOGISTIC(BuiltinOperator.LOGISTIC), TANH(BuiltinOperator.TANH), RELU(BuiltinOperator.RELU),
        RELU6(BuiltinOperator.RELU6), LEAKY_RELU(BuiltinOperator.LEAKY_RELU), HARD_SWISH(BuiltinOperator.HARD_SWISH);

        final BuiltinOperator op;

        Op(BuiltinOperator op) {
            this.op = op;
        }

        int version(boolean int8) {
            return this == HARD_SWISH ? 1 : (int8 ? 2 : 1);
        }
    }

    private static BuiltinOptions options(Op op, RandomCases r) {
        if (op != Op.LEAKY_RELU) {
            return BuiltinOptions.NONE;
        }
        // alpha in (0, 1) mostly, sometimes above 1 or negative (TFLite allows both)
        int kind = r.between(0, 9);
        float alpha = kind == 0 ? 1f + r.nextFloat() * 2 : kind == 1 ? -r.nextFloat()
                : r.nextFloat();
        return new BuiltinOptions.LeakyRelu(alpha);
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void int8IdenticalToDesktopTflite(Op op) {
        RandomCases r = new RandomCases(1000 + op.ordinal());
        long elements = 0;
        int differing = 0;
        for (int c = 0; c < INT8_CASES; c++) {
            int[] shape = r.shape(4, 256);
            float inScale = r.scale(0.001, 0.5);
            int inZp = r.zeroPoint();
            float outScale;
            int outZp;
            switch (op) {
                case LOGISTIC -> {
                    outScale = 1f / 256;
                    outZp = -128;
                }
                case TANH -> {
                    outScale = 1f / 128;
                    outZp = 0;
                }
                case RELU6 -> {
                    outScale = inScale;
                    outZp = inZp;
                }
                case HARD_SWISH -> {
                    // TFLM needs input scale / (128 * output scale) < 1
                    outScale = inScale * (float) Math.exp(r.nextDouble() * 3 - 1.5);
                    outZp = r.zeroPoint();
                }
                default -> {
                    outScale = r.scale(0.001, 0.5);
                    outZp = r.zeroPoint();
                }
            }
            SingleOpModel model = new SingleOpModel(op.op, op.version(true), options(op, r))
                    .input(TensorType.INT8, shape, Quantization.perTensor(inScale, inZp))
                    .output(TensorType.INT8, shape, Quantization.perTensor(outScale, outZp));
            int n = elementCount(shape);
            byte[] input = r.int8sCoveringAll(n);
            byte[] mote = model.runMote(input);
            byte[] tflite = model.runTflite(input);
            for (int i = 0; i < n; i++) {
                if (mote[i] != tflite[i]) {
                    differing++;
                    System.out.printf("%s case %d: input %d (scale %g, zp %d) -> Mote %d, TFLite %d%n", op, c, input[i],
                            inScale, inZp, mote[i], tflite[i]);
                }
            }
            elements += n;
        }
        System.out.printf("%s int8: %d cases, %d elements, %d differ from desktop TFLite%n", op, INT8_CASES, elements,
                differing);
        assertEquals(0, differing, op + ": int8 elements differing from desktop TFLite");
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void float32MatchesDesktopTflite(Op op) {
        RandomCases r = new RandomCases(2000 + op.ordinal());
        double worst = 0;
        for (int c = 0; c < FLOAT_CASES; c++) {
            int[] shape = r.shape(4, 1);
            SingleOpModel model = new SingleOpModel(op.op, op.version(false), options(op, r))
                    .input(TensorType.FLOAT32, shape, Quantization.NONE)
                    .output(TensorType.FLOAT32, shape, Quantization.NONE);
            float[] x = r.floats(elementCount(shape), -12f, 12f);
            float[] mote = LittleEndian.toFloats(model.runMote(LittleEndian.floats(x)));
            float[] tflite = LittleEndian.toFloats(model.runTflite(LittleEndian.floats(x)));
            for (int i = 0; i < x.length; i++) {
                // relative to the value, but at least 1e-6 absolute: desktop TFLite's float LOGISTIC is Eigen's
                // rational approximation, which differs from TFLM's exp-based formula by ~1e-7 absolute in the tails
                double err = Math.abs(mote[i] - tflite[i]) / Math.max(0.1, Math.abs(tflite[i]));
                worst = Math.max(worst, err);
            }
        }
        System.out.printf("%s float32: %d cases, largest relative difference from desktop TFLite %.3g%n", op,
                FLOAT_CASES, worst);
        assertTrue(worst <= 1e-5, op + ": largest relative difference " + worst);
    }
}
