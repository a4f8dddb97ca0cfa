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

import java.util.Arrays;

import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ADD, SUB and MUL in Mote and in desktop TFLite on seeded random single-op models: random shapes up to 4-D,
 * about half of them broadcasting (dimensions set to 1 on either side, shorter ranks, scalars), random scales
 * and zero points, all four fused activations TFLM supports. int8 outputs must be identical (desktop TFLite runs
 * the same integer arithmetic: measured, no element differs); float32 within 1e-6 relative.
 */
class ArithmeticTfliteTest {
    private static final int INT8_CASES = 300;
    private static final int FLOAT_CASES = 50;

    enum Op {
        ADD(BuiltinOperator.ADD), SUB(BuiltinOperator.SUB), MUL(BuiltinOperator.MUL);

        final BuiltinOperator op;

        Op(BuiltinOperator op) {
            this.op = op;
        }

        BuiltinOptions options(int activation) {
            return switch (this) {
                case ADD -> new BuiltinOptions.Add(activation, false);
                case SUB -> new BuiltinOptions.Sub(activation, false);
                case MUL -> new BuiltinOptions.Mul(activation);
            };
        }
    }

    /** Two shapes that broadcast: equal, or with some dimensions 1 / dropped on one side, sometimes swapped. */
    static int[][] broadcastPair(RandomCases r, int c, int maxRank) {
        int[] a = r.shape(maxRank, 1);
        int[] b = a.clone();
        switch (c % 4) {
            case 1 -> {
                for (int d = 0; d < b.length; d++) {
                    if (r.nextBoolean()) {
                        b[d] = 1;
                    }
                }
            }
            case 2 -> b = Arrays.copyOfRange(b, r.between(0, b.length), b.length);
            case 3 -> {
                for (int d = 0; d < b.length; d++) {
                    if (r.nextInt(3) == 0) {
                        b[d] = 1;
                    }
                }
                b = Arrays.copyOfRange(b, r.between(0, b.length - 1), b.length);
            }
            default -> {
            }
        }
        if (r.nextBoolean()) {
            return new int[][] {b, a};
        }
        return new int[][] {a, b};
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void int8IdenticalToDesktopTflite(Op op) {
        RandomCases r = new RandomCases(4000 + op.ordinal());
        long elements = 0;
        int differing = 0;
        int broadcasting = 0;
        for (int c = 0; c < INT8_CASES; c++) {
            int[][] shapes = broadcastPair(r, c, 4);
            int[] outShape = BroadcastShape.of(shapes[0], shapes[1], 6).outputShape();
            if (!Arrays.equals(shapes[0], shapes[1])) {
                broadcasting++;
            }
            float s1 = r.scale(0.005, 0.5);
            float s2 = r.scale(0.005, 0.5);
            float so = op == Op.MUL ? s1 * s2 * r.scale(1, 200) : Math.max(s1, s2) * r.scale(0.5, 4);
            int activation = c % 4; // NONE, RELU, RELU_N1_TO_1, RELU6
            SingleOpModel model = new SingleOpModel(op.op, 2, op.options(activation))
                    .input(TensorType.INT8, shapes[0], Quantization.perTensor(s1, r.zeroPoint()))
                    .input(TensorType.INT8, shapes[1], Quantization.perTensor(s2, r.zeroPoint()))
                    .output(TensorType.INT8, outShape, Quantization.perTensor(so, r.zeroPoint()));
            byte[] in1 = r.int8s(elementCount(shapes[0]));
            byte[] in2 = r.int8s(elementCount(shapes[1]));
            byte[] mote = model.runMote(in1, in2);
            byte[] tflite = model.runTflite(in1, in2);
            for (int i = 0; i < mote.length; i++) {
                if (mote[i] != tflite[i]) {
                    differing++;
                    System.out.printf("%s case %d %s %s element %d: Mote %d, TFLite %d%n", op, c,
                            Arrays.toString(shapes[0]), Arrays.toString(shapes[1]), i, mote[i], tflite[i]);
                }
            }
            elements += mote.length;
        }
        System.out.printf("%s int8: %d cases (%d broadcasting), %d elements, %d differ from desktop TFLite%n", op,
                INT8_CASES, broadcasting, elements, differing);
        assertEquals(0, differing, op + ": int8 elements differing from desktop TFLite");
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void float32MatchesDesktopTflite(Op op) {
        RandomCases r = new RandomCases(5000 + op.ordinal());
        double worst = 0;
        for (int c = 0; c < FLOAT_CASES; c++) {
            int[][] shapes = broadcastPair(r, c, 4);
            int[] outShape = BroadcastShape.of(shapes[0], shapes[1], 6).outputShape();
            SingleOpModel model = new SingleOpModel(op.op, 1, op.options(c % 4))
                    .input(TensorType.FLOAT32, shapes[0], Quantization.NONE)
                    .input(TensorType.FLOAT32, shapes[1], Quantization.NONE)
                    .output(TensorType.FLOAT32, outShape, Quantization.NONE);
            byte[] in1 = LittleEndian.floats(r.floats(elementCount(shapes[0]), -10f, 10f));
            byte[] in2 = LittleEndian.floats(r.floats(elementCount(shapes[1]), -10f, 10f));
            float[] mote = LittleEndian.toFloats(model.runMote(in1, in2));
            float[] tflite = LittleEndian.toFloats(model.runTflite(in1, in2));
            for (int i = 0; i < mote.length; i++) {
                worst = Math.max(worst, Math.abs(mote[i] - tflite[i]) / Math.max(1, Math.abs(tflite[i])));
            }
        }
        System.out.printf("%s float32: %d cases, largest relative difference from desktop TFLite %.3g%n", op,
                FLOAT_CASES, worst);
        assertTrue(worst <= 1e-6, op + ": largest relative difference " + worst);
    }
}
