package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * SVDF single-op models in TFLM's operand layout (input {@code [batch, input]}, weights feature, weights time, bias,
 * variable activation state {@code [batch, memory * filters]}): int8 with int16 weights time and state (the
 * converter's), int8 with int8 weights time and state (state zero point random one case in three), and float32;
 * batch 1-3, input 1-24, rank 1-3, units 1-8, memory 1-10, any fused activation (TFLM's integer kernel ignores it;
 * float32 draws NONE, RELU, RELU_N1_TO_1, RELU6 or SIGN_BIT: TANH would call tanhf, which newlib and glibc need not
 * round alike). And SOFTMAX with int16 input and output (TFLM's lookup-table softmax), betas, rank 1-4.
 */
final class SvdfCases {
    private static final int[] FLOAT_ACTIVATIONS = {0, 1, 2, 3, 5};

    private SvdfCases() {
    }

    static List<Variant> variants() {
        return List.of(
                new Variant(BuiltinOperator.SVDF, "SVDF int8 int16 state", 9_500_000,
                        (s, r) -> svdf(s, r, TensorType.INT16, 1)),
                new Variant(BuiltinOperator.SVDF, "SVDF int8 int8 state", 9_550_000,
                        (s, r) -> svdf(s, r, TensorType.INT8, 1)),
                new Variant(BuiltinOperator.SVDF, "SVDF float32", 9_600_000,
                        (s, r) -> svdf(s, r, TensorType.FLOAT32, 1)),
                new Variant(BuiltinOperator.SOFTMAX, "SOFTMAX int16", 9_650_000, SvdfCases::softmaxInt16));
    }

    /**
     * An SVDF case: {@code state} is the activation state's type (INT16 or INT8 for an int8 SVDF, FLOAT32). With
     * {@code plays > 1} the model has {@code plays} inputs and as many SVDF operators in a row with the same weights
     * and the same state tensor, operator k reading input k; its output is the last operator's. One invoke of it
     * computes what {@code plays} invokes of the plain case (same seed) compute, invoke k with input k, since the
     * state carries over. The inputs of every play are drawn, the plain case's input is the first.
     */
    static DeviceCase svdf(long seed, RandomCases r, TensorType state, int plays) {
        return svdf(seed, r, state, plays, true);
    }

    /** The case, with its bias input omitted (-1) unless {@code withBias} (the bias is drawn all the same). */
    static DeviceCase svdf(long seed, RandomCases r, TensorType state, int plays, boolean withBias) {
        boolean int8 = state != TensorType.FLOAT32;
        int batch = r.between(1, 3);
        int input = r.between(1, 24);
        int rank = r.between(1, 3);
        int units = r.between(1, 8);
        int filters = rank * units;
        int memory = r.between(1, 10);
        int activation = int8 ? r.nextInt(6) : FLOAT_ACTIVATIONS[r.nextInt(FLOAT_ACTIVATIONS.length)];
        TensorType act = int8 ? TensorType.INT8 : TensorType.FLOAT32;
        ModelBuilder b = new ModelBuilder();
        Quantization qIn = int8 ? Draw.perTensor(r, 0.004, 0.25) : Quantization.NONE;
        float wfScale = r.scale(0.002, 0.05);
        float stateScale = state == TensorType.INT16 ? r.scale(0.0002, 0.02) : r.scale(0.01, 0.5);
        int stateZeroPoint = state == TensorType.INT8 && r.nextInt(3) == 0 ? Draw.zeroPoint(r) : 0;
        float timeScale = state == TensorType.INT16 ? r.scale(0.00002, 0.002) : r.scale(0.002, 0.05);
        float biasScale = stateScale * timeScale;
        Quantization qOut = int8 ? Quantization.perTensor(r.scale(0.01, 1.0), Draw.zeroPoint(r)) : Quantization.NONE;
        int[] inputs = new int[plays];
        for (int p = 0; p < plays; p++) {
            inputs[p] = b.addInput(plays == 1 ? "input" : "input_" + p, act, new int[] {batch, input}, qIn);
        }
        int wf = b.addConstant("weights_feature", act, new int[] {filters, input},
                int8 ? Draw.weights(r, filters * input) : Draw.floats(r, filters * input, 0.4),
                int8 ? Quantization.perTensor(wfScale, 0) : Quantization.NONE);
        byte[] time = switch (state) {
            case INT16 -> int16s(r, filters * memory, r.nextInt(3) == 0 ? 32767 : 4096);
            case INT8 -> Draw.weights(r, filters * memory);
            default -> Draw.floats(r, filters * memory, 0.4);
        };
        int wt = b.addConstant("weights_time", state, new int[] {filters, memory}, time,
                int8 ? Quantization.perTensor(timeScale, 0) : Quantization.NONE);
        int bias = b.addConstant("bias", int8 ? TensorType.INT32 : TensorType.FLOAT32, new int[] {units},
                int8 ? biases(r, units, biasScale) : Draw.floats(r, units, 0.5),
                int8 ? Quantization.perTensor(biasScale, 0) : Quantization.NONE);
        if (!withBias) {
            bias = -1;
        }
        int st = b.addVariable("activation_state", state, new int[] {batch, memory * filters},
                int8 ? Quantization.perTensor(stateScale, stateZeroPoint) : Quantization.NONE);
        int y = -1;
        for (int p = 0; p < plays; p++) {
            y = b.addTensor(plays == 1 ? "output" : "output_" + p, act, new int[] {batch, units}, qOut);
            b.addOperator(BuiltinOperator.SVDF, int8 ? 3 : 1, new BuiltinOptions.Svdf(rank, activation, false),
                    new int[] {inputs[p], wf, wt, bias, st}, new int[] {y});
        }
        b.addOutput(y);
        List<byte[]> data = new ArrayList<>();
        for (int p = 0; p < Math.max(plays, 3); p++) {
            byte[] x = int8 ? r.int8sCoveringAll(batch * input) : Draw.floats(r, batch * input, 1.0);
            if (p < plays) {
                data.add(x);
            }
        }
        String name = int8 ? "SVDF int8 " + (state == TensorType.INT16 ? "int16" : "int8") + " state" : "SVDF float32";
        return new DeviceCase(name, seed, "batch " + batch + ", input " + input + ", rank " + rank + ", units "
                + units + ", memory " + memory + ", activation " + activation
                + (int8 ? ", input " + qIn + ", state scale " + stateScale + " zero point " + stateZeroPoint
                + ", output " + qOut : "") + (plays > 1 ? ", " + plays + " operators sharing the state" : "") + (withBias ? "" : ", no bias"),
                b.toBytes(), data);
    }

    /** The other inputs a plain case's later invokes take: the inputs 1.. of its {@code plays} model. */
    static List<byte[]> laterInputs(long seed, TensorType state, int plays) {
        DeviceCase played = svdf(seed, new RandomCases(new java.util.SplittableRandom(seed)), state, plays);
        return played.inputs().subList(1, plays);
    }

    static DeviceCase softmaxInt16(long seed, RandomCases r) {
        int rank = r.between(1, 4);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = i == rank - 1 ? r.between(1, 40) : r.between(1, 4);
        }
        float beta = r.nextInt(3) == 0 ? r.scale(0.1, 4) : 1.0f;
        Quantization in = Quantization.perTensor(r.scale(0.00005, 0.01), 0); // TFLM refuses others
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("input", TensorType.INT16, shape, in);
        int y = b.addTensor("output", TensorType.INT16, shape, Quantization.perTensor(1f / 32768, 0));
        b.addOperator(BuiltinOperator.SOFTMAX, 3, new BuiltinOptions.Softmax(beta), new int[] {x}, new int[] {y});
        b.addOutput(y);
        int n = Draw.count(shape);
        int spread = switch (r.nextInt(3)) {
            case 0 -> 32767;
            case 1 -> 4000;
            default -> 300;
        };
        return new DeviceCase("SOFTMAX int16", seed, "shape " + Draw.shape(shape) + ", beta " + beta + ", input "
                + in + ", spread " + spread, b.toBytes(), List.of(int16s(r, n, spread)));
    }

    private static byte[] int16s(RandomCases r, int n, int limit) {
        ByteBuffer bb = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bb.putShort((short) Math.max(-32768, Math.min(32767, r.between(-limit, limit))));
        }
        return bb.array();
    }

    /** int32 biases worth up to about +-4 in real terms, one case in six over the whole int32 range. */
    private static byte[] biases(RandomCases r, int n, float scale) {
        int[] v = new int[n];
        boolean extreme = r.nextInt(6) == 0;
        long limit = Math.max(1, Math.min(Integer.MAX_VALUE, (long) (4.0 / scale)));
        for (int i = 0; i < n; i++) {
            v[i] = extreme ? r.random().nextInt() : (int) (r.random().nextLong(2 * limit + 1) - limit);
        }
        return LittleEndian.ints(v);
    }
}
