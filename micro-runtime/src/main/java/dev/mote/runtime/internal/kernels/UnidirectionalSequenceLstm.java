package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM's arena footprint as TFLM's reference kernel allocates it
 * ({@code unidirectional_sequence_lstm.cc} {@code UnidirectionalSequenceLstmInit}/{@code Prepare},
 * {@code lstm_eval_common.cc} {@code LstmTensors}); Mote does not compute the op. The node has TFLM's 24 inputs
 * ({@code lstm_shared.h}: input, eight weights, peephole, four biases, projection, output state 18 and cell state 19,
 * which are variable tensors and so allocated from the persistent area, and layer-norm coefficients), optional ones
 * omitted (-1).
 */
public final class UnidirectionalSequenceLstm extends FootprintOnlyKernel {
    private static final int INPUTS = 24;
    private static final int INPUT = 0;
    private static final int OUTPUT_STATE = 18;
    private static final int CELL_STATE = 19;

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
     * {@code UnidirectionalSequenceLstmPrepare}: {@code LstmTensors} takes a temporary tensor for each of the 24
     * inputs present and for the output; then four scratch buffers of {@code batch * state} cell-state elements
     * (batch from the input's dimension 1 when time-major, else 0; state from the output state's last dimension).
     */
    @Override
    public void prepare(NodeContext node) {
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
}
