package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;
import java.util.List;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM single-op models in the operand layout TFLM's kernel accepts (24 inputs, the standard
 * LSTM: no peephole, projection or layer norm, which TFLM refuses): int8 (int8 weights, int32 biases, int16 cell
 * state at a scale 2^-k, k from 0 to 15, one case in eight off the power of two) and float32; time major or batch major, batch 1-3, 1-12 steps,
 * 1-24 input features, 1-16 units; cell-gate activation TANH or (one case in six) another value, which TFLM runs as
 * none; random scales and zero points with their extremes, biases small or over the whole
 * int32 range, with or without a cell clip; int8 inputs cover every value.
 */
final class LstmCases {
    private static final String[] GATES = {"input", "forget", "cell", "output"};

    private LstmCases() {
    }

    static List<Variant> variants() {
        return List.of(
                new Variant(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, "UNIDIRECTIONAL_SEQUENCE_LSTM int8",
                        9_000_000, (s, r) -> lstm(s, r, true)),
                new Variant(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, "UNIDIRECTIONAL_SEQUENCE_LSTM float32",
                        9_100_000, (s, r) -> lstm(s, r, false)));
    }

    static DeviceCase lstm(long seed, RandomCases r, boolean int8) {
        return lstm(seed, r, int8, 1);
    }

    /**
     * The case of {@code seed} with every batch row's input sequence played {@code repeats} times in a row (the
     * model then has {@code repeats} times the steps, same weights and quantization): one invoke of it computes what
     * {@code repeats} invokes of the plain case compute, since the state carries over from one to the next.
     */
    static DeviceCase lstm(long seed, RandomCases r, boolean int8, int repeats) {
        return lstm(seed, r, int8, repeats, null);
    }

    /** Changes a case's operands before the operator is added: builder, the 24 inputs, units, weight type. */
    interface Edit {
        void apply(ModelBuilder b, int[] inputs, int state, TensorType weights);
    }

    /** The case with {@code edit} (if not null) applied to its 24 operands. */
    static DeviceCase lstm(long seed, RandomCases r, boolean int8, int repeats, Edit edit) {
        int batch = r.between(1, 3);
        int steps = r.between(1, 12);
        int played = steps * repeats;
        int input = r.between(1, 24);
        int state = r.between(1, 16);
        boolean timeMajor = r.nextBoolean();
        float cellClip = r.nextInt(3) == 0 ? r.scale(0.05, 8) : 0f;
        // TANH mostly; any other value runs the cell gate without activation, in TFLM too
        int activation = r.nextInt(6) == 0 ? new int[] {0, 1, 3, 5}[r.nextInt(4)] : 4;
        TensorType act = int8 ? TensorType.INT8 : TensorType.FLOAT32;
        Quantization qIn = int8 ? Draw.perTensor(r, 0.004, 0.25) : Quantization.NONE;
        Quantization qState = int8 ? Draw.perTensor(r, 0.003, 0.1) : Quantization.NONE;
        int cellPower = r.nextInt(4) == 0 ? r.between(0, 5) : r.between(6, 15);
        // one case in eight: a cell scale off the power of two (TFLM rounds its log2 and runs it)
        float cellScale = (float) Math.scalb(r.nextInt(8) == 0 ? r.scale(0.75, 1.4) : 1.0, -cellPower);
        ModelBuilder b = new ModelBuilder();
        int[] in = new int[24];
        Arrays.fill(in, -1);
        int[] inShape = timeMajor ? new int[] {played, batch, input} : new int[] {batch, played, input};
        in[0] = b.addInput("input", act, inShape, qIn);
        float[] inputWeightScale = new float[4];
        for (int g = 0; g < 4; g++) {
            inputWeightScale[g] = r.scale(0.002, 0.08);
            in[1 + g] = b.addConstant("input_to_" + GATES[g] + "_weights", act, new int[] {state, input},
                    weights(r, int8, state * input), int8 ? Quantization.perTensor(inputWeightScale[g],
                            weightZeroPoint(r)) : Quantization.NONE);
        }
        for (int g = 0; g < 4; g++) {
            in[5 + g] = b.addConstant("recurrent_to_" + GATES[g] + "_weights", act, new int[] {state, state},
                    weights(r, int8, state * state), int8 ? Quantization.perTensor(r.scale(0.002, 0.08),
                            weightZeroPoint(r)) : Quantization.NONE);
        }
        for (int g = 0; g < 4; g++) {
            TensorType biasType = int8 ? TensorType.INT32 : TensorType.FLOAT32;
            float biasScale = int8 ? qIn.scale() * inputWeightScale[g] : 0f;
            in[12 + g] = b.addConstant(GATES[g] + "_gate_bias", biasType, new int[] {state},
                    int8 ? int32Biases(r, state, biasScale) : Draw.floats(r, state, 0.5),
                    int8 ? Quantization.perTensor(biasScale, 0) : Quantization.NONE);
        }
        in[18] = b.addVariable("output_state", act, new int[] {batch, state}, qState);
        in[19] = b.addVariable("cell_state", int8 ? TensorType.INT16 : TensorType.FLOAT32, new int[] {batch, state},
                int8 ? Quantization.perTensor(cellScale, 0) : Quantization.NONE);
        int y = b.addTensor("output", act, timeMajor ? new int[] {played, batch, state}
                : new int[] {batch, played, state}, qState);
        if (edit != null) {
            edit.apply(b, in, state, act);
        }
        b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, 1,
                new BuiltinOptions.UnidirectionalSequenceLstm(activation, cellClip, 0f, timeMajor, false, false), in,
                new int[] {y});
        b.addOutput(y);
        int n = batch * steps * input;
        byte[] data = repeat(int8 ? r.int8sCoveringAll(n) : Draw.floats(r, n, r.nextInt(4) == 0 ? 4.0 : 1.0),
                timeMajor ? 1 : batch, repeats);
        return new DeviceCase("UNIDIRECTIONAL_SEQUENCE_LSTM " + (int8 ? "int8" : "float32"), seed, "batch " + batch
                + ", steps " + steps + (repeats > 1 ? " played " + repeats + " times" : "") + ", input " + input
                + ", state " + state + (timeMajor ? ", time major" : "")
                + (int8 ? ", input " + qIn + ", state " + qState + ", cell scale " + cellScale + " (2^-" + cellPower
                + ")" : "")
                + (cellClip > 0 ? ", cell clip " + cellClip : "") + (activation != 4 ? ", activation " + activation
                : ""), b.toBytes(), List.of(data));
    }

    /** Each of {@code blocks} equal blocks of {@code data}, {@code repeats} times in a row. */
    private static byte[] repeat(byte[] data, int blocks, int repeats) {
        int block = data.length / blocks;
        byte[] out = new byte[data.length * repeats];
        int at = 0;
        for (int k = 0; k < blocks; k++) {
            for (int rep = 0; rep < repeats; rep++) {
                System.arraycopy(data, k * block, out, at, block);
                at += block;
            }
        }
        return out;
    }

    /** 0 (the converter's symmetric weights), one weight tensor in twelve another zero point. */
    private static int weightZeroPoint(RandomCases r) {
        return r.nextInt(12) == 0 ? Draw.zeroPoint(r) : 0;
    }

    private static byte[] weights(RandomCases r, boolean int8, int n) {
        return int8 ? Draw.weights(r, n) : Draw.floats(r, n, r.nextInt(3) == 0 ? 1.5 : 0.4);
    }

    /** int32 biases: one case in six over the whole int32 range, else worth up to about +-4 in real terms. */
    private static byte[] int32Biases(RandomCases r, int n, float scale) {
        int[] v = new int[n];
        boolean extreme = r.nextInt(6) == 0;
        long limit = Math.max(1, Math.min(Integer.MAX_VALUE, (long) (4.0 / scale)));
        for (int i = 0; i < n; i++) {
            v[i] = extreme ? r.random().nextInt() : (int) (r.random().nextLong(2 * limit + 1) - limit);
        }
        return LittleEndian.ints(v);
    }
}
