package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.Rounding;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM as TFLM's reference kernel computes it ({@code unidirectional_sequence_lstm.cc},
 * {@code lstm_eval.h}/{@code .cc}, {@code lstm_eval_common.cc}): the standard LSTM with four gates and no variant
 * (no CIFG, peephole, projection or layer norm: TFLM's {@code LstmTensors::ValidateTensorStatus} requires the eight
 * weights and four biases and refuses the variants' operands), float32 throughout or int8 activations and weights
 * with int32 biases and an int16 cell state (TFLM's "8x8 to 16" integer LSTM).
 *
 * <p>The node has TFLM's 24 inputs ({@code lstm_shared.h}): 0 input, 1-4 input-to-{input, forget, cell, output}
 * weights {@code [state, input]}, 5-8 recurrent-to-{input, forget, cell, output} weights {@code [state, state]},
 * 9-11 peephole weights (must be omitted), 12-15 {input, forget, cell, output} gate biases {@code [state]}, 16-17
 * projection weights and bias (omitted), 18 output state and 19 cell state (variable tensors, allocated from the
 * persistent area and kept across invokes), 20-23 layer-norm coefficients (omitted); omitted inputs are -1.
 *
 * <p>Per time step (all batches at once when time major, else one batch row at a time, batch by batch), each gate
 * is {@code act(FC(input, W_x, bias) + FC(output_state, W_h))}, sigmoid for the input, forget and output gates, and
 * for the cell gate tanh if the fused activation is TANH, else none (TFLM skips its assert); then {@code cell = forget * cell + input * cell_gate} (clipped to
 * {@code cell_clip} if positive), {@code output_state = output_gate * tanh(cell)}, copied to the output. In int8 each
 * FC rounds to int16 at scale 2^-12 on its own and the two are added with int16 saturation; the gates are Q0.15
 * (TFLite's int16 LUT sigmoid/tanh, {@link Int16Activations}); the cell state's scale must be (about) a power of two,
 * the tanh of the cell reads it as Q(15+p).(−p) for scale 2^p.
 */
public final class UnidirectionalSequenceLstm implements Kernel {
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int INPUTS = 24;
    private static final int INPUT = 0;
    /** First of the four input-to-gate weights, in the order input, forget, cell, output. */
    private static final int INPUT_WEIGHTS = 1;
    private static final int RECURRENT_WEIGHTS = 5;
    private static final int BIASES = 12;
    private static final int OUTPUT_STATE = 18;
    private static final int CELL_STATE = 19;
    private static final String[] GATES = {"input", "forget", "cell", "output"};
    private static final int GATE_INPUT = 0;
    private static final int GATE_FORGET = 1;
    private static final int GATE_CELL = 2;
    private static final int GATE_OUTPUT = 3;
    /** The flatbuffer's TANH: the one fused activation TFLM's cell gate applies (any other: no activation). */
    static final int ACTIVATION_TANH = 4;
    /** Scale of the gates' FC outputs (Q3.12) and of the gate outputs (Q0.15) in the integer LSTM. */
    private static final float GATE_INPUT_SCALE = 0x1p-12f;
    private static final float GATE_OUTPUT_SCALE = 0x1p-15f;

    private boolean quantized;
    private int activation;
    /** The cell gate's activation: tanh for TANH, none (the gate's sum as it is) for any other value. */
    private boolean cellGateTanh;
    private Int8Parameters int8;
    private FloatParameters floats;
    private int batch;
    private int steps;
    private int inputDim;
    private int state;
    private boolean timeMajor;
    // per-step buffers (TFLM's four scratch buffers of batch * state cell elements)
    private short[] gate0;
    private short[] gate1;
    private short[] gate2;
    private short[] gate3;
    private float[] fgate0;
    private float[] fgate1;
    private float[] fgate2;
    private float[] fgate3;

    /**
     * TFLM's {@code TfLiteUnidirectionalSequenceLSTMParams}: activation, cell_clip, proj_clip, time_major,
     * asymmetric_quantize_inputs, diagonal_recurrent_tensors.
     */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().float32().float32().bool().bool().bool().build();
    }

    /** {@code FullyConnectedParams} ({@code kernels/internal/types.h}): nine 32-bit fields, two bools, a uint8 enum. */
    private static CStruct fullyConnectedParams(Abi abi) {
        return CStruct.of(abi).int32s(7).float32().float32().bool().bool().int8().build();
    }

    /** {@code ArithmeticParams}: a uint8 enum, twelve int32, two floats, two int64, two int16, {@code int[5]}. */
    private static CStruct arithmeticParams(Abi abi) {
        return CStruct.of(abi).int8().int32s(12).float32().float32().int64().int64().int16s(2).int32s(5).build();
    }

    /**
     * TFLM's {@code OpDataLSTM} ({@code lstm_shared.h}): {@code LstmSizeInfo}, {@code CellStateInfo}, the cell gate's
     * activation, four {@code GateParameters} (two {@code FullyConnectedParams} each), {@code InterGateParameters}
     * (three {@code ArithmeticParams}) and four scratch-buffer indices.
     */
    static CStruct opData(Abi abi) {
        CStruct sizeInfo = CStruct.of(abi).bool().int32s(4).build();
        CStruct cellStateInfo = CStruct.of(abi).float32().int16().int32().build();
        CStruct fc = fullyConnectedParams(abi);
        CStruct gate = CStruct.of(abi).struct(fc).struct(fc).build();
        CStruct arithmetic = arithmeticParams(abi);
        CStruct interGate = CStruct.of(abi).struct(arithmetic).struct(arithmetic).struct(arithmetic).build();
        return CStruct.of(abi).struct(sizeInfo).struct(cellStateInfo).cEnum()
                .struct(gate).struct(gate).struct(gate).struct(gate).struct(interGate).int32s(4).build();
    }

    /**
     * The arena footprint of TFLM's {@code UnidirectionalSequenceLstmInit}/{@code Prepare} (the one home of it):
     * {@code LstmTensors} takes a temporary tensor for each of the 24 inputs present and for the output; then four
     * scratch buffers of {@code batch * state} cell-state elements (batch from the input's dimension 1 when time
     * major, else dimension 0; state from the output state's last dimension).
     */
    private static void declareFootprint(NodeContext node) {
        node.requireArity(INPUTS, INPUTS, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensors();
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(INPUT);
        MicroTensor outputState = node.requiredInput(OUTPUT_STATE);
        MicroTensor cellState = node.requiredInput(CELL_STATE);
        BuiltinOptions.UnidirectionalSequenceLstm options = node.options(BuiltinOptions.UnidirectionalSequenceLstm.class);
        boolean timeMajor = options != null && options.timeMajor();
        if (input.rank() != 3 || outputState.rank() < 1) {
            throw node.fail("input", "must be 3-D, with an output state (TFLM's CreateLstmSizeInfo)");
        }
        int batch = input.dim(timeMajor ? 1 : 0);
        int state = outputState.dim(outputState.rank() - 1);
        int cellBytes = Shapes.elementSize(node, "cell state", cellState, TensorType.FLOAT32, TensorType.INT16);
        for (int i = 0; i < 4; i++) {
            node.requestScratch(batch * state * cellBytes);
        }
    }

    /** Declares the footprint, then checks the node as TFLM's prepare does and derives the integer constants. */
    @Override
    public void prepare(NodeContext node) {
        declareFootprint(node);
        MicroTensor input = node.requiredInput(INPUT);
        MicroTensor outputState = node.requiredInput(OUTPUT_STATE);
        MicroTensor cellState = node.requiredInput(CELL_STATE);
        MicroTensor output = node.output(0);
        BuiltinOptions.UnidirectionalSequenceLstm options = node.options(BuiltinOptions.UnidirectionalSequenceLstm.class);
        // LstmTensors::ValidateTensorStatus
        if (!outputState.isVariable()) {
            throw node.fail("output_state (input 18)", "must be a variable tensor");
        }
        if (outputState.type() != input.type()) {
            throw node.fail("output_state (input 18)", "type " + outputState.type() + " differs from the input's "
                    + input.type());
        }
        if (!cellState.isVariable()) {
            throw node.fail("cell_state (input 19)", "must be a variable tensor");
        }
        if (output.type() != input.type()) {
            throw node.fail("output", "type " + output.type() + " differs from the input's " + input.type());
        }
        MicroTensor[] inputWeights = new MicroTensor[4];
        MicroTensor[] recurrentWeights = new MicroTensor[4];
        MicroTensor[] biases = new MicroTensor[4];
        TensorType weightType = node.requiredInput(INPUT_WEIGHTS + GATE_FORGET).type();
        TensorType biasType = node.requiredInput(BIASES + GATE_FORGET).type();
        for (int g = 0; g < 4; g++) {
            inputWeights[g] = operand(node, INPUT_WEIGHTS + g, "input_to_" + GATES[g] + "_weights", weightType);
            recurrentWeights[g] = operand(node, RECURRENT_WEIGHTS + g, "recurrent_to_" + GATES[g] + "_weights",
                    weightType);
            biases[g] = operand(node, BIASES + g, GATES[g] + "_gate_bias", biasType);
        }
        String[] variants = {null, null, null, null, null, null, null, null, null, "cell_to_input_weights (peephole)",
            "cell_to_forget_weights (peephole)", "cell_to_output_weights (peephole)", null, null, null, null,
            "projection_weights", "projection_bias", null, null, "input_layer_norm_coefficients",
            "forget_layer_norm_coefficients", "cell_layer_norm_coefficients", "output_layer_norm_coefficients"};
        for (int i = 0; i < INPUTS; i++) {
            if (variants[i] != null && node.input(i) != null) {
                throw node.fail(variants[i] + " (input " + i + ")", "must be omitted (-1): TFLM's LSTM computes only "
                        + "the standard LSTM (no peephole, projection or layer norm)");
            }
        }
        // CreateLstmSizeInfo and ValidateTensorSize
        timeMajor = options != null && options.timeMajor();
        batch = input.dim(timeMajor ? 1 : 0);
        steps = input.dim(timeMajor ? 0 : 1);
        inputDim = input.dim(2);
        if (outputState.rank() != 2) {
            throw node.fail("output_state (input 18)", "must be 2-D [batch, state] (TFLM reads the state size from "
                    + "its dimension 1), got rank " + outputState.rank());
        }
        state = outputState.dim(1);
        for (int g = 0; g < 4; g++) {
            requireShape(node, inputWeights[g], "input_to_" + GATES[g] + "_weights", state, inputDim);
            requireShape(node, recurrentWeights[g], "recurrent_to_" + GATES[g] + "_weights", state, state);
            requireShape(node, biases[g], GATES[g] + "_gate_bias", state);
        }
        if (outputState.elementCount() != batch * state) {
            throw node.fail("output_state (input 18)", "has " + outputState.elementCount() + " elements, expected "
                    + "batch x state = " + batch * state);
        }
        if (cellState.elementCount() != batch * state) {
            throw node.fail("cell_state (input 19)", "has " + cellState.elementCount() + " elements, expected "
                    + "batch x state = " + batch * state);
        }
        if (output.rank() != 3 || output.dim(0) != input.dim(0) || output.dim(1) != input.dim(1)
                || output.dim(2) != state) {
            throw node.fail("output", "shape " + Arrays.toString(output.shape()) + " must be the input's "
                    + "first two dimensions and the state size " + state);
        }
        float cellClip = options == null ? 0f : options.cellClip();
        if (!(cellClip >= 0)) {
            throw node.fail("cell_clip", "must be >= 0 (0: no clipping), got " + cellClip);
        }
        activation = options == null ? 0 : options.activation();
        cellGateTanh = activation == ACTIVATION_TANH;
        if (!cellGateTanh) {
            node.warn(ModelWarning.Kind.OPTION, "fused_activation_function", activation + " is not TANH (4): TFLM's "
                    + "CalculateLstmGate applies only tanh (or sigmoid, which the flatbuffer cannot name) to the cell "
                    + "gate and skips its assert in a release build, so the cell gate runs with no activation, in "
                    + "TFLM and in Mote");
        }
        int n = batch * state;
        if (cellState.type() == TensorType.FLOAT32) {
            quantized = false;
            for (MicroTensor t : new MicroTensor[] {input, inputWeights[0], biases[0]}) {
                if (t.type() != TensorType.FLOAT32) {
                    throw node.fail(t == input ? "input" : t == biases[0] ? "biases" : "weights", "type " + t.type()
                            + ": with a float32 cell state every operand is float32");
                }
            }
            floats = new FloatParameters(cellClip);
            fgate0 = new float[n];
            fgate1 = new float[n];
            fgate2 = new float[n];
            fgate3 = new float[n];
            return;
        }
        quantized = true;
        if (input.type() != TensorType.INT8) {
            throw node.fail("input", "type " + input.type() + " with an int16 cell state: Mote computes the int8 "
                    + "integer LSTM (int8 activations); TFLM's 16x8 variant (int16 activations) is not implemented");
        }
        if (weightType != TensorType.INT8) {
            throw node.fail("weights", "type " + weightType + ": the int8 LSTM needs int8 weights");
        }
        if (biasType != TensorType.INT32) {
            throw node.fail("biases", "type " + biasType + ": the int8 LSTM reads int32 biases");
        }
        int8 = int8Parameters(node, input, outputState, cellState, inputWeights, recurrentWeights, cellClip);
        gate0 = new short[n];
        gate1 = new short[n];
        gate2 = new short[n];
        gate3 = new short[n];
    }

    private static MicroTensor operand(NodeContext node, int index, String name, TensorType type) {
        MicroTensor t = node.input(index);
        if (t == null) {
            throw node.fail(name + " (input " + index + ")", "is required (TFLM's LSTM has no CIFG or other variant "
                    + "without it)");
        }
        if (t.type() != type) {
            throw node.fail(name + " (input " + index + ")", "type " + t.type() + " differs from the other "
                    + "operands' " + type);
        }
        return t;
    }

    private static void requireShape(NodeContext node, MicroTensor t, String name, int... dims) {
        boolean ok = t.rank() == dims.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = t.dim(i) == dims[i];
        }
        if (!ok) {
            throw node.fail(name, "shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(dims));
        }
    }

    private static Int8Parameters int8Parameters(NodeContext node, MicroTensor input, MicroTensor outputState,
                                                 MicroTensor cellState, MicroTensor[] inputWeights,
                                                 MicroTensor[] recurrentWeights, float cellClip) {
        for (MicroTensor t : new MicroTensor[] {input, outputState, cellState}) {
            if (!t.quantization().isQuantized()) {
                throw node.fail(t == input ? "input" : t == outputState ? "output_state" : "cell_state",
                        "needs a scale and zero point");
            }
        }
        GateParameters[] gates = new GateParameters[4];
        for (int g = 0; g < 4; g++) {
            FcParameters x = fcParameters(node, input, inputWeights[g], "input_to_" + GATES[g] + "_weights");
            FcParameters h = fcParameters(node, outputState, recurrentWeights[g],
                    "recurrent_to_" + GATES[g] + "_weights");
            gates[g] = new GateParameters(x, h);
        }
        float cellScale = cellState.scale();
        QuantizedMath.Multiplier forgetCell = interGateMultiplier(GATE_OUTPUT_SCALE, cellScale, cellScale);
        QuantizedMath.Multiplier inputCell = interGateMultiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, cellScale);
        QuantizedMath.Multiplier hidden = interGateMultiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE,
                outputState.scale());
        int power = checkedLog2(cellScale);
        // CreateLstmCellStateInfo: clip / scale in double, clamped to int16, truncated
        double clip = Math.min(Math.max((double) cellClip / (double) cellScale, -32768.0), 32767.0);
        return new Int8Parameters(gates[GATE_INPUT], gates[GATE_FORGET], gates[GATE_CELL], gates[GATE_OUTPUT],
                forgetCell, inputCell, hidden, outputState.zeroPoint(), power, cellClip > 0f, (short) (int) clip);
    }

    /**
     * {@code CalculateOpDataFullyConnected} for one gate FC with int16 output at scale 2^-12, no bias checked and no
     * activation: the multiplier of {@code GetQuantizedConvolutionMultipler}, whose product of the input and weight
     * scales is a float (rounded) before the division in double.
     */
    private static FcParameters fcParameters(NodeContext node, MicroTensor in, MicroTensor weights, String name) {
        if (!weights.quantization().isQuantized()) {
            throw node.fail(name + ".quantization", "needs a scale and zero point");
        }
        if (weights.quantization().channelCount() != 1) {
            throw node.fail(name + ".quantization", "has " + weights.quantization().channelCount() + " scales: TFLM's "
                    + "LSTM uses one per-tensor multiplier per gate FC (per-channel weights are not supported)");
        }
        if (weights.zeroPoint() != 0) {
            node.warn(ModelWarning.Kind.QUANTIZATION, name + ".quantization", "zero point " + weights.zeroPoint()
                    + ": TFLM expects symmetric int8 weights (a debug assert); its release build, and Mote, "
                    + "subtract the zero point");
        }
        float product = in.scale() * weights.scale();
        if (!(product >= 0)) {
            throw node.fail(name + ".quantization", "input x weight scale " + product + " must be >= 0");
        }
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) product / (double) GATE_INPUT_SCALE);
        return new FcParameters(-in.zeroPoint(), -weights.zeroPoint(), m.multiplier(), m.shift());
    }

    /** {@code CreateInterGateMulParams}: {@code in1 * in2 / out} in double. */
    private static QuantizedMath.Multiplier interGateMultiplier(float in1, float in2, float out) {
        return QuantizedMath.quantizeMultiplier((double) in1 * (double) in2 / (double) out);
    }

    /**
     * TFLite's {@code CheckedLog2} as {@code CreateLstmCellStateInfo} uses it (its verdict ignored): the nearest
     * integer to {@code log2(scale)}, computed in float.
     */
    static int checkedLog2(float scale) {
        float log2 = (float) Math.log(scale) * (1.0f / (float) Math.log(2.0));
        return (int) Rounding.halfAwayFromZero(log2); // std::round
    }

    /** One gate FC's constants: input and weight offsets (minus the zero points), multiplier and shift. */
    public record FcParameters(int inputOffset, int weightOffset, int multiplier, int shift) {
    }

    /** A gate's two FCs: on the input (with the gate's bias) and on the output state (without bias). */
    public record GateParameters(FcParameters input, FcParameters recurrent) {
    }

    /**
     * What {@link #prepare} derived for an int8 LSTM: the four gates' FC constants; the multipliers of forget gate x
     * cell state (to the cell scale), input gate x cell gate (Q0.15 x Q0.15 to the cell scale) and output gate x
     * tanh(cell) (to the output state's scale, plus its zero point); the cell scale's power of two {@code p} (scale
     * about 2^p); whether cells are clipped and the clip in cell-state steps.
     */
    public record Int8Parameters(GateParameters inputGate, GateParameters forgetGate, GateParameters cellGate,
                                 GateParameters outputGate, QuantizedMath.Multiplier forgetTimesCell,
                                 QuantizedMath.Multiplier inputTimesCellGate, QuantizedMath.Multiplier hidden,
                                 int hiddenZeroPoint, int cellScalePower, boolean clipCell, short quantizedCellClip) {
        GateParameters gate(int g) {
            return switch (g) {
                case GATE_INPUT -> inputGate;
                case GATE_FORGET -> forgetGate;
                case GATE_CELL -> cellGate;
                default -> outputGate;
            };
        }
    }

    /** The float32 LSTM's one constant: the cell clip (0: none). */
    public record FloatParameters(float cellClip) {
    }

    /** The int8 constants of a prepared int8 node, or null for a float32 one. */
    public Int8Parameters int8Parameters() {
        return quantized ? int8 : null;
    }

    @Override
    public long heapBytes() {
        long n = (long) batch * state;
        return quantized ? 4 * 2 * n : 4 * 4 * n;
    }

    @Override
    public void invoke(NodeContext node) {
        // The step manager: time major runs all batches per step; batch major one batch row at a time
        if (timeMajor) {
            for (int t = 0; t < steps; t++) {
                step(node, batch, t * batch * inputDim, t * batch * state, 0);
            }
        } else {
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    step(node, 1, (b * steps + t) * inputDim, (b * steps + t) * state, b * state);
                }
            }
        }
    }

    private void step(NodeContext node, int rows, int inputAt, int outputAt, int stateAt) {
        if (quantized) {
            stepInt8(node, rows, inputAt, outputAt, stateAt);
        } else {
            stepFloat(node, rows, inputAt, outputAt, stateAt);
        }
    }

    // ---- int8 x int8 -> int16 cell ----

    private void stepInt8(NodeContext node, int rows, int inputAt, int outputAt, int stateAt) {
        MicroTensor hidden = node.input(OUTPUT_STATE);
        MicroTensor cell = node.input(CELL_STATE);
        MicroTensor out = node.output(0);
        int n = rows * state;
        short[] forget = gate0;
        short[] inputGate = gate1;
        short[] cellGate = gate2;
        short[] scratch = gate3;
        gateInt8(node, GATE_FORGET, rows, inputAt, stateAt, forget, scratch, false);
        gateInt8(node, GATE_INPUT, rows, inputAt, stateAt, inputGate, scratch, false);
        gateInt8(node, GATE_CELL, rows, inputAt, stateAt, cellGate, scratch, true);
        byte[] c = cell.data();
        int cBase = cell.dataOffset() + 2 * stateAt;
        QuantizedMath.Multiplier fc = int8.forgetTimesCell();
        QuantizedMath.Multiplier ic = int8.inputTimesCellGate();
        short clip = int8.quantizedCellClip();
        for (int i = 0; i < n; i++) {
            int old = (short) INT16.get(c, cBase + 2 * i);
            int kept = clamp16(QuantizedMath.multiplyByQuantizedMultiplier(forget[i] * old, fc.multiplier(),
                    fc.shift()));
            int added = clamp16(QuantizedMath.multiplyByQuantizedMultiplier(inputGate[i] * cellGate[i],
                    ic.multiplier(), ic.shift()));
            int updated = clamp16(kept + added);
            if (int8.clipCell()) {
                updated = Math.max(Math.min(clip, updated), (short) -clip);
            }
            INT16.set(c, cBase + 2 * i, (short) updated);
        }
        short[] outputGate = gate1; // TFLM reuses buffer 1 after the cell update
        gateInt8(node, GATE_OUTPUT, rows, inputAt, stateAt, outputGate, scratch, false);
        // tanh(cell) with the cell scale's power: left shift (15 + p) - 3, a right shift (multiplier 3) if negative
        int tanhShift = 15 + int8.cellScalePower() - 3;
        int tanhMultiplier = 0;
        if (tanhShift < 0) {
            tanhShift = -tanhShift;
            tanhMultiplier = 3;
        }
        byte[] h = hidden.data();
        int hBase = hidden.dataOffset() + stateAt;
        QuantizedMath.Multiplier hm = int8.hidden();
        int zp = int8.hiddenZeroPoint();
        for (int i = 0; i < n; i++) {
            int tanhCell = Int16Activations.tanh((short) INT16.get(c, cBase + 2 * i), tanhMultiplier, tanhShift);
            int v = zp + QuantizedMath.multiplyByQuantizedMultiplier(tanhCell * outputGate[i], hm.multiplier(),
                    hm.shift());
            h[hBase + i] = (byte) QuantizedMath.clamp(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
        }
        System.arraycopy(h, hBase, out.data(), out.dataOffset() + outputAt, n);
    }

    /** One gate: {@code act(sat16(FC(input) + FC(output_state)))} into {@code gate}. */
    private void gateInt8(NodeContext node, int g, int rows, int inputAt, int stateAt, short[] gate, short[] scratch,
                          boolean cellGate) {
        GateParameters p = int8.gate(g);
        MicroTensor in = node.input(INPUT);
        MicroTensor hidden = node.input(OUTPUT_STATE);
        MicroTensor bias = node.input(BIASES + g);
        fcInt8(in.data(), in.dataOffset() + inputAt, inputDim, node.input(INPUT_WEIGHTS + g), bias, p.input(), rows,
                gate);
        fcInt8(hidden.data(), hidden.dataOffset() + stateAt, state, node.input(RECURRENT_WEIGHTS + g), null,
                p.recurrent(), rows, scratch);
        int n = rows * state;
        for (int i = 0; i < n; i++) {
            int sum = clamp16(gate[i] + scratch[i]);
            gate[i] = !cellGate ? Int16Activations.sigmoid(sum, 0, 0)
                    : cellGateTanh ? Int16Activations.tanh(sum, 0, 0) : (short) sum;
        }
    }

    /** TFLite's {@code reference_integer_ops::FullyConnected}, int8 in, int16 out (scale 2^-12, no activation). */
    private void fcInt8(byte[] x, int xBase, int depth, MicroTensor weights, MicroTensor bias, FcParameters p,
                        int rows, short[] out) {
        byte[] w = weights.data();
        int wBase = weights.dataOffset();
        byte[] b = bias == null ? null : bias.data();
        int bBase = bias == null ? 0 : bias.dataOffset();
        for (int r = 0; r < rows; r++) {
            int xRow = xBase + r * depth;
            for (int o = 0; o < state; o++) {
                int wRow = wBase + o * depth;
                int acc = 0;
                for (int d = 0; d < depth; d++) {
                    acc += (w[wRow + d] + p.weightOffset()) * (x[xRow + d] + p.inputOffset());
                }
                if (b != null) {
                    acc += (int) INT32.get(b, bBase + 4 * o);
                }
                out[r * state + o] = (short) clamp16(QuantizedMath.multiplyByQuantizedMultiplier(acc, p.multiplier(),
                        p.shift()));
            }
        }
    }

    private static int clamp16(int v) {
        return QuantizedMath.clamp(v, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    // ---- float32 ----

    private void stepFloat(NodeContext node, int rows, int inputAt, int outputAt, int stateAt) {
        MicroTensor hidden = node.input(OUTPUT_STATE);
        MicroTensor cell = node.input(CELL_STATE);
        MicroTensor out = node.output(0);
        int n = rows * state;
        float[] forget = fgate0;
        float[] inputGate = fgate1;
        float[] cellGate = fgate2;
        float[] scratch = fgate3;
        gateFloat(node, GATE_FORGET, rows, inputAt, stateAt, forget, scratch, false);
        gateFloat(node, GATE_INPUT, rows, inputAt, stateAt, inputGate, scratch, false);
        gateFloat(node, GATE_CELL, rows, inputAt, stateAt, cellGate, scratch, true);
        byte[] c = cell.data();
        int cBase = cell.dataOffset() + 4 * stateAt;
        float clip = floats.cellClip();
        for (int i = 0; i < n; i++) {
            float kept = noActivation(forget[i] * (float) FLOAT32.get(c, cBase + 4 * i));
            float added = noActivation(inputGate[i] * cellGate[i]);
            float updated = kept + added;
            if (clip > 0) {
                float low = updated < clip ? updated : clip; // std::min(clip, v)
                updated = low < -clip ? -clip : low; // std::max(., -clip)
            }
            FLOAT32.set(c, cBase + 4 * i, updated);
        }
        float[] outputGate = fgate1;
        gateFloat(node, GATE_OUTPUT, rows, inputAt, stateAt, outputGate, scratch, false);
        byte[] h = hidden.data();
        int hBase = hidden.dataOffset() + 4 * stateAt;
        for (int i = 0; i < n; i++) {
            float tanhCell = LibmFloat.tanhf((float) FLOAT32.get(c, cBase + 4 * i));
            FLOAT32.set(h, hBase + 4 * i, noActivation(tanhCell * outputGate[i]));
        }
        System.arraycopy(h, hBase, out.data(), out.dataOffset() + 4 * outputAt, 4 * n);
    }

    private void gateFloat(NodeContext node, int g, int rows, int inputAt, int stateAt, float[] gate,
                           float[] scratch, boolean cellGate) {
        MicroTensor in = node.input(INPUT);
        MicroTensor hidden = node.input(OUTPUT_STATE);
        fcFloat(in.data(), in.dataOffset() + 4 * inputAt, inputDim, node.input(INPUT_WEIGHTS + g),
                node.input(BIASES + g), rows, gate);
        fcFloat(hidden.data(), hidden.dataOffset() + 4 * stateAt, state, node.input(RECURRENT_WEIGHTS + g), null,
                rows, scratch);
        int n = rows * state;
        for (int i = 0; i < n; i++) {
            float sum = gate[i] + scratch[i];
            gate[i] = !cellGate ? Logistic.logisticFloat(sum) : cellGateTanh ? LibmFloat.tanhf(sum) : sum;
        }
    }

    /** TFLite's float {@code reference_ops::FullyConnected} with no activation. */
    private void fcFloat(byte[] x, int xBase, int depth, MicroTensor weights, MicroTensor bias, int rows,
                         float[] out) {
        byte[] w = weights.data();
        int wBase = weights.dataOffset();
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < state; o++) {
                float total = 0f;
                for (int d = 0; d < depth; d++) {
                    total += (float) FLOAT32.get(x, xBase + 4 * (r * depth + d))
                            * (float) FLOAT32.get(w, wBase + 4 * (o * depth + d));
                }
                float biasValue = bias == null ? 0f : (float) FLOAT32.get(bias.data(), bias.dataOffset() + 4 * o);
                out[r * state + o] = noActivation(total + biasValue);
            }
        }
    }

    /** {@code ActivationFunctionWithMinMax} with kTfLiteActNone's range: only infinities change (to +-FLT_MAX). */
    private static float noActivation(float v) {
        return QuantizedMath.clamp(v, -Float.MAX_VALUE, Float.MAX_VALUE);
    }
}
