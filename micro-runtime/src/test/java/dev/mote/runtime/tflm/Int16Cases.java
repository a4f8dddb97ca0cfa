package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * TFLite's 16x8 mode (int16 activations, symmetric, zero point 0) in the element-wise ops: QUANTIZE between every
 * type pair TFLM evaluates (float32, int8, int16, int32), DEQUANTIZE int16 to float32, ADD, SUB and MUL (broadcast,
 * fused activations, scales including powers of two and wide ratios), LEAKY_RELU, LOGISTIC and TANH, MEAN (the shapes of {@link ShapeCases}), MAX_POOL_2D and AVERAGE_POOL_2D
 * (the geometry of {@link PoolingArithmeticCases}). Inputs lean on the extremes of
 * int16; one case in four of the one-input ops holds every value of one half of int16 (negative or non-negative:
 * the two halves in one case would not fit the differential tests' 256 KiB arena beside a wider output).
 */
final class Int16Cases {
    private Int16Cases() {
    }

    static List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        TensorType f = TensorType.FLOAT32;
        TensorType i8 = TensorType.INT8;
        TensorType i16 = TensorType.INT16;
        TensorType i32 = TensorType.INT32;
        TensorType[][] pairs = {{f, i16}, {i8, i16}, {i16, i8}, {i16, i16}, {i16, i32}, {i8, i32}, {i32, i8},
                {i32, i16}};
        long seed = 9_000_000;
        for (TensorType[] p : pairs) {
            String name = "QUANTIZE " + lower(p[0]) + " to " + lower(p[1]);
            v.add(new Variant(BuiltinOperator.QUANTIZE, name, seed, (s, r) -> quantize(s, r, name, p[0], p[1])));
            seed += 10_000;
        }
        v.add(new Variant(BuiltinOperator.DEQUANTIZE, "DEQUANTIZE int16 to float32", 9_100_000,
                Int16Cases::dequantize));
        for (BuiltinOperator op : new BuiltinOperator[] {BuiltinOperator.ADD, BuiltinOperator.SUB,
                BuiltinOperator.MUL}) {
            seed = 9_200_000 + 10_000L * op.ordinal();
            v.add(new Variant(op, op + " int16", seed, (s, r) -> binary(s, r, op)));
        }
        v.add(new Variant(BuiltinOperator.LEAKY_RELU, "LEAKY_RELU int16", 9_300_000, Int16Cases::leakyRelu));
        v.add(new Variant(BuiltinOperator.LOGISTIC, "LOGISTIC int16", 9_500_000,
                (s, r) -> lookup(s, r, BuiltinOperator.LOGISTIC)));
        v.add(new Variant(BuiltinOperator.TANH, "TANH int16", 9_510_000, (s, r) -> lookup(s, r, BuiltinOperator.TANH)));
        v.add(new Variant(BuiltinOperator.MEAN, "MEAN int16", 9_600_000,
                (s, r) -> ShapeCases.mean(s, r, TensorType.INT16)));
        v.add(new Variant(BuiltinOperator.MAX_POOL_2D, "MAX_POOL_2D int16", 9_400_000,
                (s, r) -> PoolingArithmeticCases.pool(s, r, BuiltinOperator.MAX_POOL_2D, TensorType.INT16)));
        v.add(new Variant(BuiltinOperator.AVERAGE_POOL_2D, "AVERAGE_POOL_2D int16", 9_410_000,
                (s, r) -> PoolingArithmeticCases.pool(s, r, BuiltinOperator.AVERAGE_POOL_2D, TensorType.INT16)));
        return v;
    }

    private static String lower(TensorType t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A symmetric int16 quantization: a power of two one time in four, else a scale in {@code [lo, hi]}. */
    static Quantization symmetric(RandomCases r, double lo, double hi) {
        if (r.nextInt(4) == 0) {
            int lowExp = (int) Math.ceil(Math.log(lo) / Math.log(2));
            int highExp = (int) Math.floor(Math.log(hi) / Math.log(2));
            return Quantization.perTensor((float) Math.scalb(1.0, r.between(lowExp, Math.max(lowExp, highExp))), 0);
        }
        return Quantization.perTensor(r.scale(lo, hi), 0);
    }

    /** A shape of rank 1 to 4 with 1 to about 600 elements, or (covering) 32768 elements in one of three shapes. */
    static int[] shape(RandomCases r, boolean covering) {
        if (covering) {
            return switch (r.nextInt(3)) {
                case 0 -> new int[] {HALF};
                case 1 -> new int[] {128, 256};
                default -> new int[] {1, 8, 64, 64};
            };
        }
        int rank = r.between(1, 4);
        return r.dims(rank, 1, rank == 1 ? 300 : rank == 2 ? 24 : 6);
    }

    static final int HALF = 32768;

    /**
     * {@code n} int16 values: with 32768 or more, every value of one half of int16 once (negative or non-negative,
     * shuffled) and then random ones; otherwise each an extreme (-32768, -32767, -1, 0, 1, 32767) one time in eight,
     * else uniform.
     */
    static byte[] int16s(RandomCases r, int n) {
        short[] v = new short[n];
        int[] extremes = {Short.MIN_VALUE, Short.MIN_VALUE + 1, -1, 0, 1, Short.MAX_VALUE};
        int base = r.nextBoolean() ? Short.MIN_VALUE : 0;
        for (int i = 0; i < n; i++) {
            if (n >= HALF) {
                v[i] = (short) (i < HALF ? i + base : r.nextInt(65536) + Short.MIN_VALUE);
            } else {
                v[i] = (short) (r.nextInt(8) == 0 ? extremes[r.nextInt(extremes.length)]
                        : r.nextInt(65536) + Short.MIN_VALUE);
            }
        }
        if (n >= HALF) {
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                short t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
        }
        ByteBuffer bb = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : v) {
            bb.putShort(s);
        }
        return bb.array();
    }

    /** {@code n} int32 values uniform in {@code [-limit, limit]}, one in eight an int32 extreme or 0. */
    static byte[] int32s(RandomCases r, int n, double limit) {
        ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        int[] extremes = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1};
        for (int i = 0; i < n; i++) {
            bb.putInt(r.nextInt(8) == 0 ? extremes[r.nextInt(extremes.length)]
                    : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (r.nextDouble() * 2 - 1) * limit)));
        }
        return bb.array();
    }

    private static Quantization quantizationOf(RandomCases r, TensorType t) {
        return switch (t) {
            case INT8 -> Draw.perTensor(r, 0.001, 0.5);
            case INT16 -> symmetric(r, 1.0 / (1 << 16), 0.01);
            case INT32 -> Quantization.perTensor(r.scale(1e-7, 1e-3), r.nextInt(4) == 0 ? r.between(-1000, 1000) : 0);
            default -> Quantization.NONE;
        };
    }

    private static double maxOf(TensorType t) {
        return t == TensorType.INT8 ? 128 : t == TensorType.INT16 ? 32768 : 2147483648.0;
    }

    static DeviceCase quantize(long seed, RandomCases r, String variant, TensorType inType, TensorType outType) {
        boolean covering = inType == TensorType.INT16 && r.nextInt(4) == 0;
        int[] shape = shape(r, covering);
        int n = Draw.count(shape);
        Quantization in = quantizationOf(r, inType);
        Quantization out = quantizationOf(r, outType);
        if (inType != TensorType.FLOAT32 && r.nextInt(5) == 0) {
            // an exact power-of-two ratio between the scales, or none at all
            out = Quantization.perTensor((float) (in.scale() * Math.scalb(1.0, r.between(-8, 8))),
                    outType == TensorType.INT8 ? Draw.zeroPoint(r) : out.zeroPoint());
        }
        SingleOpModel m = new SingleOpModel(BuiltinOperator.QUANTIZE, 2, new BuiltinOptions.Empty(0))
                .input(inType, shape, in).output(outType, shape, out);
        // inputs spread over about twice the output's range (in the input's units), so that some values saturate
        double outRange = maxOf(outType) * out.scale();
        byte[] data = switch (inType) {
            case FLOAT32 -> Draw.floats(r, n, outRange);
            case INT8 -> r.int8sCoveringAll(n);
            case INT16 -> int16s(r, n);
            default -> int32s(r, n, Math.min(2147483647.0, 2 * outRange / in.scale()));
        };
        return new DeviceCase(variant, seed, "shape " + Draw.shape(shape) + ", input " + in + ", output " + out,
                m.bytes(), List.of(data));
    }

    static DeviceCase dequantize(long seed, RandomCases r) {
        int[] shape = shape(r, r.nextInt(4) == 0);
        Quantization in = symmetric(r, 1e-6, 2);
        if (r.nextInt(8) == 0) {
            in = Quantization.perTensor(in.scale(), r.between(-32768, 32767)); // TFLM reads any zero point
        }
        SingleOpModel m = new SingleOpModel(BuiltinOperator.DEQUANTIZE, 2, new BuiltinOptions.Empty(0))
                .input(TensorType.INT16, shape, in).output(TensorType.FLOAT32, shape, Quantization.NONE);
        return new DeviceCase("DEQUANTIZE int16 to float32", seed, "shape " + Draw.shape(shape) + ", input " + in,
                m.bytes(), List.of(int16s(r, Draw.count(shape))));
    }

    static DeviceCase leakyRelu(long seed, RandomCases r) {
        int[] shape = shape(r, r.nextInt(4) == 0);
        float alpha = switch (r.nextInt(5)) {
            case 0 -> r.scale(1.0, 5);
            case 1 -> -r.scale(0.01, 2);
            default -> r.scale(0.01, 0.99);
        };
        Quantization in = symmetric(r, 1.0 / (1 << 15), 0.01);
        Quantization out = r.nextInt(4) == 0 ? in
                : Quantization.perTensor((float) (in.scale() * r.scale(0.2, 5)), 0);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.LEAKY_RELU, 2, new BuiltinOptions.LeakyRelu(alpha))
                .input(TensorType.INT16, shape, in).output(TensorType.INT16, shape, out);
        return new DeviceCase("LEAKY_RELU int16", seed, "shape " + Draw.shape(shape) + ", alpha " + alpha
                + ", input " + in + ", output " + out, m.bytes(), List.of(int16s(r, Draw.count(shape))));
    }

    /**
     * LOGISTIC or TANH int16: output 2^-15; input scale the table's power of two (2^-12, or for TANH also 2^-11) one
     * time in three, else symmetric (powers of two included) from 2^-16 to 0.5.
     */
    static DeviceCase lookup(long seed, RandomCases r, BuiltinOperator op) {
        int[] shape = shape(r, r.nextInt(4) == 0);
        Quantization in = r.nextInt(3) == 0
                ? Quantization.perTensor(op == BuiltinOperator.TANH && r.nextBoolean() ? 1f / 2048 : 1f / 4096, 0)
                : symmetric(r, 1.0 / (1 << 16), 0.5);
        Quantization out = Quantization.perTensor(1f / 32768, 0);
        SingleOpModel m = new SingleOpModel(op, 3, new BuiltinOptions.Empty(0)).input(TensorType.INT16, shape, in)
                .output(TensorType.INT16, shape, out);
        return new DeviceCase(op + " int16", seed, "shape " + Draw.shape(shape) + ", input " + in, m.bytes(),
                List.of(int16s(r, Draw.count(shape))));
    }

    static DeviceCase binary(long seed, RandomCases r, BuiltinOperator op) {
        int[][] s = PoolingArithmeticCases.broadcastShapes(r);
        Activation act = Draw.fused(r);
        BuiltinOptions options = switch (op) {
            case ADD -> new BuiltinOptions.Add(act.code(), r.nextBoolean());
            case SUB -> new BuiltinOptions.Sub(act.code(), r.nextBoolean());
            default -> new BuiltinOptions.Mul(act.code());
        };
        Quantization q1 = symmetric(r, 1.0 / (1 << 15), 0.01);
        Quantization q2 = switch (r.nextInt(4)) {
            case 0 -> q1;
            case 1 -> Quantization.perTensor((float) (q1.scale() * Math.scalb(1.0, r.between(-6, 6))), 0);
            default -> symmetric(r, 1.0 / (1 << 15), 0.01);
        };
        double typical = op == BuiltinOperator.MUL ? 32768.0 * q1.scale() * q2.scale()
                : 2 * Math.max(q1.scale(), q2.scale());
        Quantization qo = r.nextInt(4) == 0 && op != BuiltinOperator.MUL
                ? Quantization.perTensor((float) Math.scalb(1.0, Math.getExponent(typical) + r.between(0, 2)), 0)
                : Quantization.perTensor((float) (typical * r.scale(0.25, 4)), 0);
        SingleOpModel m = new SingleOpModel(op, op == BuiltinOperator.MUL ? 4 : 3, options)
                .input(TensorType.INT16, s[0], q1).input(TensorType.INT16, s[1], q2)
                .output(TensorType.INT16, s[2], qo);
        String what = Draw.shape(s[0]) + " " + op + " " + Draw.shape(s[1]) + " -> " + Draw.shape(s[2]) + ", " + act;
        return new DeviceCase(op + " int16", seed, what + ", in " + q1 + ", " + q2 + ", out " + qo, m.bytes(),
                List.of(int16s(r, Draw.count(s[0])), int16s(r, Draw.count(s[1]))));
    }
}
