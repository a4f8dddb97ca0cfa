package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.util.List;

/**
 * The one-input ops: SOFTMAX (int8 to int8 and to int16, float32, betas), LOGISTIC, TANH, RELU, RELU6,
 * LEAKY_RELU (alphas below and above 1, negative), HARD_SWISH; QUANTIZE (float32 to int8, int8 to int8) and
 * DEQUANTIZE. Input quantizations range over scales and zero points at the extremes; int8 inputs hold every value.
 */
final class ActivationCases {
    private ActivationCases() {
    }

    static List<Variant> variants() {
        return List.of(
                new Variant(BuiltinOperator.SOFTMAX, "SOFTMAX int8", 3_000_000, (s, r) -> softmax(s, r, TensorType.INT8)),
                new Variant(BuiltinOperator.SOFTMAX, "SOFTMAX int8 to int16", 3_050_000,
                        (s, r) -> softmax(s, r, TensorType.INT16)),
                new Variant(BuiltinOperator.SOFTMAX, "SOFTMAX float32", 3_100_000,
                        (s, r) -> softmax(s, r, TensorType.FLOAT32)),
                unary(BuiltinOperator.LOGISTIC, 3_200_000, false), unary(BuiltinOperator.LOGISTIC, 3_250_000, true),
                unary(BuiltinOperator.TANH, 3_300_000, false), unary(BuiltinOperator.TANH, 3_350_000, true),
                unary(BuiltinOperator.RELU, 3_400_000, false), unary(BuiltinOperator.RELU, 3_450_000, true),
                unary(BuiltinOperator.RELU6, 3_500_000, false), unary(BuiltinOperator.RELU6, 3_550_000, true),
                unary(BuiltinOperator.LEAKY_RELU, 3_600_000, false), unary(BuiltinOperator.LEAKY_RELU, 3_650_000, true),
                unary(BuiltinOperator.HARD_SWISH, 3_700_000, false), unary(BuiltinOperator.HARD_SWISH, 3_750_000, true),
                new Variant(BuiltinOperator.QUANTIZE, "QUANTIZE float32 to int8", 3_800_000,
                        (s, r) -> quantize(s, r, true)),
                new Variant(BuiltinOperator.QUANTIZE, "QUANTIZE int8 to int8", 3_850_000,
                        (s, r) -> quantize(s, r, false)),
                new Variant(BuiltinOperator.DEQUANTIZE, "DEQUANTIZE int8 to float32", 3_900_000,
                        ActivationCases::dequantize));
    }

    private static Variant unary(BuiltinOperator op, long seedBase, boolean floats) {
        return new Variant(op, op + (floats ? " float32" : " int8"), seedBase, (s, r) -> unary(s, r, op, floats));
    }

    /** A shape of rank 1 to 4 with 1 to about 600 elements. */
    private static int[] shape(RandomCases r) {
        int rank = r.between(1, 4);
        int[] s = r.dims(rank, 1, rank == 1 ? 300 : rank == 2 ? 24 : 6);
        return s;
    }

    /** The int8 input: every value at least once where it has 256 elements or more. */
    private static byte[] int8Input(RandomCases r, int n) {
        return r.int8sCoveringAll(n);
    }

    static DeviceCase softmax(long seed, RandomCases r, TensorType outType) {
        int[] shape = shape(r);
        float beta = r.nextInt(3) == 0 ? r.scale(0.1, 4) : 1.0f;
        BuiltinOptions options = new BuiltinOptions.Softmax(beta);
        String what = "shape " + Draw.shape(shape) + ", beta " + beta;
        if (outType == TensorType.FLOAT32) {
            SingleOpModel m = new SingleOpModel(BuiltinOperator.SOFTMAX, 1, options)
                    .input(TensorType.FLOAT32, shape, Quantization.NONE)
                    .output(TensorType.FLOAT32, shape, Quantization.NONE);
            return new DeviceCase("SOFTMAX float32", seed, what, m.bytes(),
                    List.of(Draw.floats(r, Draw.count(shape), r.scale(0.1, 20))));
        }
        Quantization in = Draw.perTensor(r, 0.01, 0.5);
        Quantization out = outType == TensorType.INT8 ? Quantization.perTensor(1f / 256, -128)
                : Quantization.perTensor(1f / 65536, -32768);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.SOFTMAX, 2, options).input(TensorType.INT8, shape, in)
                .output(outType, shape, out);
        return new DeviceCase("SOFTMAX int8" + (outType == TensorType.INT16 ? " to int16" : ""), seed,
                what + ", input " + in, m.bytes(), List.of(int8Input(r, Draw.count(shape))));
    }

    static DeviceCase unary(long seed, RandomCases r, BuiltinOperator op, boolean floats) {
        int[] shape = shape(r);
        BuiltinOptions options = new BuiltinOptions.Empty(0);
        String what = "shape " + Draw.shape(shape);
        if (op == BuiltinOperator.LEAKY_RELU) {
            float alpha = switch (r.nextInt(5)) {
                case 0 -> r.scale(1.0, 5);
                case 1 -> -r.scale(0.01, 2);
                default -> r.scale(0.01, 0.99);
            };
            options = new BuiltinOptions.LeakyRelu(alpha);
            what += ", alpha " + alpha;
        }
        String variant = op + (floats ? " float32" : " int8");
        if (floats) {
            SingleOpModel m = new SingleOpModel(op, 1, options).input(TensorType.FLOAT32, shape, Quantization.NONE)
                    .output(TensorType.FLOAT32, shape, Quantization.NONE);
            return new DeviceCase(variant, seed, what, m.bytes(), List.of(Draw.floats(r, Draw.count(shape), 6)));
        }
        Quantization in = Draw.perTensor(r, 0.005, 0.2);
        Quantization out = switch (op) {
            case LOGISTIC -> Quantization.perTensor(1f / 256, -128);
            case TANH -> Quantization.perTensor(1f / 128, 0);
            case RELU6 -> in; // Mote's RELU6 needs the input's quantization (see RefusalsTflmTest)
            case HARD_SWISH -> Quantization.perTensor((float) (in.scale() * r.scale(0.02, 4)), Draw.zeroPoint(r));
            default -> Quantization.perTensor((float) (in.scale() * r.scale(0.2, 5)), Draw.zeroPoint(r));
        };
        SingleOpModel m = new SingleOpModel(op, 2, options).input(TensorType.INT8, shape, in)
                .output(TensorType.INT8, shape, out);
        return new DeviceCase(variant, seed, what + ", input " + in + ", output " + out, m.bytes(),
                List.of(int8Input(r, Draw.count(shape))));
    }

    static DeviceCase quantize(long seed, RandomCases r, boolean fromFloat) {
        int[] shape = shape(r);
        Quantization out = Draw.perTensor(r, 0.001, 0.5);
        if (fromFloat) {
            SingleOpModel m = new SingleOpModel(BuiltinOperator.QUANTIZE, 1, new BuiltinOptions.Empty(0))
                    .input(TensorType.FLOAT32, shape, Quantization.NONE).output(TensorType.INT8, shape, out);
            // spread over about twice the int8 range, so that some values saturate
            return new DeviceCase("QUANTIZE float32 to int8", seed, "shape " + Draw.shape(shape) + ", output " + out,
                    m.bytes(), List.of(Draw.floats(r, Draw.count(shape), out.scale() * 128)));
        }
        Quantization in = Draw.perTensor(r, 0.001, 0.5);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.QUANTIZE, 2, new BuiltinOptions.Empty(0)).input(TensorType.INT8, shape, in)
                .output(TensorType.INT8, shape, out);
        return new DeviceCase("QUANTIZE int8 to int8", seed, "shape " + Draw.shape(shape) + ", input " + in
                + ", output " + out, m.bytes(), List.of(int8Input(r, Draw.count(shape))));
    }

    static DeviceCase dequantize(long seed, RandomCases r) {
        int[] shape = shape(r);
        Quantization in = Draw.perTensor(r, 0.0001, 2);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.DEQUANTIZE, 2, new BuiltinOptions.Empty(0)).input(TensorType.INT8, shape, in)
                .output(TensorType.FLOAT32, shape, Quantization.NONE);
        return new DeviceCase("DEQUANTIZE int8 to float32", seed, "shape " + Draw.shape(shape) + ", input " + in,
                m.bytes(), List.of(int8Input(r, Draw.count(shape))));
    }
}
