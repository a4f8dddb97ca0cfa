package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.runtime.testing.Windows;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Padding;
import dev.mote.vocabulary.TensorType;

import java.util.List;

/**
 * MAX_POOL_2D and AVERAGE_POOL_2D (filter sizes up to the input, strides, SAME and VALID, fused activations) and
 * ADD, SUB, MUL (broadcasting over up to 5 dimensions, scalars, fused activations, independent quantizations);
 * int8 and float32.
 */
final class PoolingArithmeticCases {
    private PoolingArithmeticCases() {
    }

    static List<Variant> variants() {
        return List.of(
                new Variant(BuiltinOperator.MAX_POOL_2D, "MAX_POOL_2D int8", 2_000_000,
                        (s, r) -> pool(s, r, BuiltinOperator.MAX_POOL_2D, false)),
                new Variant(BuiltinOperator.MAX_POOL_2D, "MAX_POOL_2D float32", 2_100_000,
                        (s, r) -> pool(s, r, BuiltinOperator.MAX_POOL_2D, true)),
                new Variant(BuiltinOperator.AVERAGE_POOL_2D, "AVERAGE_POOL_2D int8", 2_200_000,
                        (s, r) -> pool(s, r, BuiltinOperator.AVERAGE_POOL_2D, false)),
                new Variant(BuiltinOperator.AVERAGE_POOL_2D, "AVERAGE_POOL_2D float32", 2_300_000,
                        (s, r) -> pool(s, r, BuiltinOperator.AVERAGE_POOL_2D, true)),
                new Variant(BuiltinOperator.ADD, "ADD int8", 2_400_000,
                        (s, r) -> binary(s, r, BuiltinOperator.ADD, false)),
                new Variant(BuiltinOperator.ADD, "ADD float32", 2_500_000,
                        (s, r) -> binary(s, r, BuiltinOperator.ADD, true)),
                new Variant(BuiltinOperator.SUB, "SUB int8", 2_600_000,
                        (s, r) -> binary(s, r, BuiltinOperator.SUB, false)),
                new Variant(BuiltinOperator.SUB, "SUB float32", 2_700_000,
                        (s, r) -> binary(s, r, BuiltinOperator.SUB, true)),
                new Variant(BuiltinOperator.MUL, "MUL int8", 2_800_000,
                        (s, r) -> binary(s, r, BuiltinOperator.MUL, false)),
                new Variant(BuiltinOperator.MUL, "MUL float32", 2_900_000,
                        (s, r) -> binary(s, r, BuiltinOperator.MUL, true)));
    }

    static DeviceCase pool(long seed, RandomCases r, BuiltinOperator op, boolean floats) {
        return pool(seed, r, op, floats ? TensorType.FLOAT32 : TensorType.INT8);
    }

    /** A pooling case of {@code type} (float32, int8, or int16: symmetric, inputs leaning on the extremes). */
    static DeviceCase pool(long seed, RandomCases r, BuiltinOperator op, TensorType type) {
        boolean floats = type == TensorType.FLOAT32;
        int inH = r.between(1, 12);
        int inW = r.between(1, 12);
        boolean same = r.nextBoolean();
        int fH;
        int fW;
        if (r.nextInt(5) == 0) { // the whole input
            fH = inH;
            fW = inW;
        } else {
            fH = r.between(1, Math.min(inH, 4));
            fW = r.between(1, Math.min(inW, 4));
        }
        if (same && r.nextInt(4) == 0) { // SAME windows may be larger than the input
            fH = r.between(1, 5);
            fW = r.between(1, 5);
        }
        int strideH = r.between(1, 3);
        int strideW = r.between(1, 3);
        int[] in = {r.between(1, 2), inH, inW, r.between(1, 8)};
        int[] out = {in[0], Windows.outSize(same, inH, fH, strideH, 1), Windows.outSize(same, inW, fW, strideW, 1),
                in[3]};
        Activation act = Draw.fused(r);
        BuiltinOptions options = new BuiltinOptions.Pool2D((same ? Padding.SAME : Padding.VALID).code(), strideW,
                strideH, fW, fH, act.code());
        String what = "input " + Draw.shape(in) + ", filter " + fH + "x" + fW + ", stride " + strideH + "x" + strideW
                + ", " + (same ? "SAME" : "VALID") + ", " + act;
        if (floats) {
            SingleOpModel m = new SingleOpModel(op, 1, options).input(TensorType.FLOAT32, in, Quantization.NONE)
                    .output(TensorType.FLOAT32, out, Quantization.NONE);
            return new DeviceCase(op + " float32", seed, what, m.bytes(), List.of(Draw.floats(r, Draw.count(in), 3)));
        }
        if (type == TensorType.INT16) {
            Quantization q = Int16Cases.symmetric(r, 1.0 / (1 << 15), 0.01);
            SingleOpModel m = new SingleOpModel(op, 3, options).input(TensorType.INT16, in, q)
                    .output(TensorType.INT16, out, q);
            return new DeviceCase(op + " int16", seed, what + ", " + q, m.bytes(),
                    List.of(Int16Cases.int16s(r, Draw.count(in))));
        }
        Quantization q = Draw.perTensor(r, 0.005, 0.2);
        SingleOpModel m = new SingleOpModel(op, 2, options).input(TensorType.INT8, in, q)
                .output(TensorType.INT8, out, q);
        return new DeviceCase(op + " int8", seed, what + ", " + q, m.bytes(), List.of(Draw.int8s(r, Draw.count(in))));
    }

    /** Two shapes that broadcast (each dimension equal or 1 on one side, ranks may differ) and their broadcast. */
    static int[][] broadcastShapes(RandomCases r) {
        int rank = r.between(0, 5);
        int[] out = r.dims(rank, 1, rank > 3 ? 4 : 7);
        int[] a = out.clone();
        int[] b = out.clone();
        switch (r.nextInt(4)) {
            case 0 -> { // same shape
            }
            case 1 -> b = new int[0]; // scalar
            default -> {
                for (int i = 0; i < rank; i++) {
                    int k = r.nextInt(4);
                    if (k == 0) {
                        a[i] = 1;
                    } else if (k == 1) {
                        b[i] = 1;
                    }
                }
                if (r.nextBoolean() && rank > 0) { // drop leading dimensions of one side
                    int drop = r.between(1, rank);
                    b = java.util.Arrays.copyOfRange(b, drop, rank);
                }
            }
        }
        for (int i = 0; i < rank; i++) { // the true broadcast shape
            int ai = i;
            int bi = i - (rank - b.length);
            out[i] = Math.max(a[ai], bi >= 0 ? b[bi] : 1);
        }
        return r.nextBoolean() ? new int[][] {a, b, out} : new int[][] {b, a, out};
    }

    static DeviceCase binary(long seed, RandomCases r, BuiltinOperator op, boolean floats) {
        int[][] s = broadcastShapes(r);
        Activation act = Draw.fused(r);
        BuiltinOptions options = switch (op) {
            case ADD -> new BuiltinOptions.Add(act.code(), false);
            case SUB -> new BuiltinOptions.Sub(act.code(), false);
            default -> new BuiltinOptions.Mul(act.code());
        };
        String what = Draw.shape(s[0]) + " " + op + " " + Draw.shape(s[1]) + " -> " + Draw.shape(s[2]) + ", " + act;
        if (floats) {
            SingleOpModel m = new SingleOpModel(op, 1, options).input(TensorType.FLOAT32, s[0], Quantization.NONE)
                    .input(TensorType.FLOAT32, s[1], Quantization.NONE)
                    .output(TensorType.FLOAT32, s[2], Quantization.NONE);
            return new DeviceCase(op + " float32", seed, what, m.bytes(),
                    List.of(Draw.floats(r, Draw.count(s[0]), 2), Draw.floats(r, Draw.count(s[1]), 2)));
        }
        Quantization q1 = Draw.perTensor(r, 0.005, 0.2);
        Quantization q2 = r.nextInt(4) == 0 ? q1 : Draw.perTensor(r, 0.005, 0.2);
        float typical = op == BuiltinOperator.MUL ? 128 * q1.scale() * q2.scale() * 128 / 128
                : Math.max(q1.scale(), q2.scale()) * 2;
        Quantization qo = Quantization.perTensor((float) (typical * r.scale(0.25, 4)), Draw.zeroPoint(r));
        SingleOpModel m = new SingleOpModel(op, 2, options).input(TensorType.INT8, s[0], q1)
                .input(TensorType.INT8, s[1], q2).output(TensorType.INT8, s[2], qo);
        return new DeviceCase(op + " int8", seed, what + ", in " + q1 + ", " + q2 + ", out " + qo, m.bytes(),
                List.of(Draw.int8s(r, Draw.count(s[0])), Draw.int8s(r, Draw.count(s[1]))));
    }
}
