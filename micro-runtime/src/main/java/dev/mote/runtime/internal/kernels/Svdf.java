package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

/**
 * SVDF as TFLM's reference kernel computes it ({@code svdf.cc}, {@code svdf_common.cc}): inputs 0 input
 * {@code [batch, input]}, 1 weights feature {@code [filters, input]}, 2 weights time {@code [filters, memory]}, 3 bias
 * {@code [units]} (optional in the schema, but TFLM's {@code PrepareSvdf} reads the bias scale and deallocates its
 * temporary tensor without a null check, so Mote refuses an omitted bias), 4 activation state {@code [batch, filters * memory]}, a variable tensor (kept across invokes, reset by
 * {@code allocateTensors} and {@code MicroInterpreter.resetVariableTensors}: int8 to its zero point, else zero).
 * Each invoke shifts the whole state left by one element, writes the feature products into every filter's newest
 * slot, takes each filter's dot product with its time weights, sums {@code rank} filters per unit, adds the bias.
 * int8: int8 input and weights feature, weights time and state both int16 or both int8 (TFLM picks the state's
 * element type from the weights time), int32 bias, int8 output; the fused activation is ignored, as in TFLM's
 * integer kernel. float32 applies the fused activation ({@code ActivationValFloat}).
 */
public final class Svdf implements Kernel {
    private int batch;
    private int inputSize;
    private int filters;
    private int units;
    private int memory;
    private int rank;
    private int activation;
    private boolean int8;
    private boolean int16State;
    private QuantizedMath.Multiplier scale1;
    private QuantizedMath.Multiplier scale2;
    private int inputZeroPoint;
    private int outputZeroPoint;
    private int stateZeroPoint;
    private int[] filterSums;
    private int[] unitSums;
    private float[] floatFilterSums;

    /** TFLM's {@code TfLiteSVDFParams}: rank, activation, asymmetric_quantize_inputs. */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).int32().cEnum().bool().build();
    }

    /** TFLM's {@code OpDataSvdf} ({@code micro/kernels/svdf.h}): nine int32-sized fields. */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(9).build();
    }

    /**
     * {@code PrepareSvdf}'s footprint: temporary tensors for inputs 0 to 4 (none for an omitted bias) and the output;
     * then for int8 a scratch buffer of {@code batch * filters} int32 and one of {@code batch * units} int32, for
     * float32 one of {@code batch * filters} floats. Then checks the node as {@code PrepareSvdf} does.
     */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(5, 5, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        for (int i = 0; i < 5; i++) {
            node.allocateTempInputTensor(i);
        }
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor weightsFeature = node.requiredInput(1);
        BuiltinOptions.Svdf options = node.options(BuiltinOptions.Svdf.class);
        rank = options == null ? 0 : options.rank();
        if (rank <= 0 || input.rank() != 2 || weightsFeature.rank() != 2) {
            throw node.fail("SVDF", "needs rank >= 1 and 2-D input and weights feature (TFLM's PrepareSvdf)");
        }
        batch = input.dim(0);
        filters = weightsFeature.dim(0);
        node.requestScratch(4 * batch * filters);
        if (input.type() == TensorType.INT8) {
            node.requestScratch(4 * batch * (filters / rank));
        }
        check(node, options);
    }

    private void check(NodeContext node, BuiltinOptions.Svdf options) {
        MicroTensor input = node.requiredInput(0);
        MicroTensor weightsFeature = node.requiredInput(1);
        MicroTensor weightsTime = node.requiredInput(2);
        MicroTensor bias = node.input(3);
        MicroTensor state = node.requiredInput(4);
        MicroTensor output = node.output(0);
        if (filters % rank != 0) {
            throw node.fail("rank", "filters " + filters + " are not a multiple of rank " + rank);
        }
        inputSize = input.dim(1);
        units = filters / rank;
        if (weightsTime.rank() != 2 || weightsTime.dim(0) != filters) {
            throw node.fail("weights_time (input 2)", "must be [filters " + filters + ", memory]");
        }
        memory = weightsTime.dim(1);
        if (output.rank() != 2 || output.dim(0) != batch || output.dim(1) != units) {
            throw node.fail("output", "must be [batch " + batch + ", units " + units + "]");
        }
        if (weightsFeature.dim(1) != inputSize) {
            throw node.fail("weights_feature (input 1)", "must be [filters, input " + inputSize + "]");
        }
        if (bias == null) {
            throw node.fail("bias (input 3)", "SVDF needs a bias: TFLM's PrepareSvdf reads its scale (int8) and "
                    + "deallocates its temporary tensor (both types) without checking that it is present");
        }
        if (bias.rank() < 1 || bias.dim(0) != units) {
            throw node.fail("bias (input 3)", "must have " + units + " elements (units)");
        }
        if (state.rank() != 2 || state.dim(0) != batch || state.dim(1) != memory * filters) {
            throw node.fail("activation_state (input 4)", "must be [batch " + batch + ", memory * filters "
                    + memory * filters + "]");
        }
        if (!state.isVariable()) {
            throw node.fail("activation_state (input 4)", "must be a variable tensor");
        }
        activation = options.activation();
        node.requireType(input, "input", TensorType.FLOAT32, TensorType.INT8);
        int8 = input.type() == TensorType.INT8;
        if (!int8) {
            node.requireType(weightsFeature, "weights_feature", TensorType.FLOAT32);
            node.requireType(weightsTime, "weights_time", TensorType.FLOAT32);
            node.requireType(state, "activation_state", TensorType.FLOAT32);
            if (bias != null) {
                node.requireType(bias, "bias", TensorType.FLOAT32);
            }
            node.requireType(output, "output", TensorType.FLOAT32);
            if (activation < 0 || activation > 5) {
                throw node.fail("fused_activation_function", "unsupported value " + activation);
            }
            floatFilterSums = new float[batch * filters];
            return;
        }
        node.requireType(weightsFeature, "weights_feature", TensorType.INT8);
        node.requireType(weightsTime, "weights_time", TensorType.INT16, TensorType.INT8);
        node.requireType(state, "activation_state", weightsTime.type());
        node.requireType(bias, "bias", TensorType.INT32);
        node.requireType(output, "output", TensorType.INT8);
        int16State = state.type() == TensorType.INT16;
        float stateTimesTime = state.scale() * weightsTime.scale();
        if (!(Math.abs((double) bias.scale() - (double) stateTimesTime) < 1e-5)) {
            throw node.fail("bias.quantization", "scale " + bias.scale() + " must be activation state scale x "
                    + "weights time scale (" + stateTimesTime + ") within 1e-5");
        }
        // float products and quotient, then widened (as TFLM computes them)
        scale1 = QuantizedMath.quantizeMultiplier((double) (input.scale() * weightsFeature.scale() / state.scale()));
        scale2 = QuantizedMath.quantizeMultiplier((double) (state.scale() * weightsTime.scale() / output.scale()));
        inputZeroPoint = input.zeroPoint();
        outputZeroPoint = output.zeroPoint();
        stateZeroPoint = state.zeroPoint();
        filterSums = new int[batch * filters];
        unitSums = new int[batch * units];
    }

    @Override
    public void invoke(NodeContext node) {
        if (int8) {
            invokeInteger(node);
        } else {
            invokeFloat(node);
        }
    }

    private void invokeInteger(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor weightsFeature = node.input(1);
        MicroTensor weightsTime = node.input(2);
        MicroTensor bias = node.input(3);
        MicroTensor state = node.input(4);
        MicroTensor output = node.output(0);
        int stateMin = int16State ? Short.MIN_VALUE : Byte.MIN_VALUE;
        int stateMax = int16State ? Short.MAX_VALUE : Byte.MAX_VALUE;
        int total = batch * filters * memory;
        // shift the whole state left by one element
        for (int i = 0; i + 1 < total; i++) {
            setState(state, i, getState(state, i + 1));
        }
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < filters; f++) {
                int dot = 0;
                for (int c = 0; c < inputSize; c++) {
                    dot += weightsFeature.getInt8(f * inputSize + c) * (input.getInt8(b * inputSize + c)
                            - inputZeroPoint);
                }
                dot = QuantizedMath.multiplyByQuantizedMultiplier(dot, scale1);
                dot = Math.max(stateMin, Math.min(stateMax, dot));
                // the zero point is added after the clamp; the element type's narrowing wraps (TFLM at 90b983c2)
                setState(state, (b * filters + f) * memory + memory - 1, stateZeroPoint + dot);
            }
        }
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < filters; f++) {
                int sum = 0;
                int at = (b * filters + f) * memory;
                for (int j = 0; j < memory; j++) {
                    int w = int16State ? weightsTime.getInt16(f * memory + j) : weightsTime.getInt8(f * memory + j);
                    sum += w * (getState(state, at + j) - stateZeroPoint);
                }
                filterSums[b * filters + f] = sum;
            }
        }
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                int sum = bias.getInt32(u);
                for (int k = 0; k < rank; k++) {
                    sum += filterSums[b * filters + u * rank + k];
                }
                unitSums[b * units + u] = sum;
            }
        }
        for (int i = 0; i < batch * units; i++) {
            int v = QuantizedMath.multiplyByQuantizedMultiplier(unitSums[i], scale2) + outputZeroPoint;
            output.setInt8(i, Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, v)));
        }
    }

    private int getState(MicroTensor state, int i) {
        return int16State ? state.getInt16(i) : state.getInt8(i);
    }

    private void setState(MicroTensor state, int i, int value) {
        if (int16State) {
            state.setInt16(i, (short) value);
        } else {
            state.setInt8(i, (byte) value);
        }
    }

    private void invokeFloat(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor weightsFeature = node.input(1);
        MicroTensor weightsTime = node.input(2);
        MicroTensor bias = node.input(3);
        MicroTensor state = node.input(4);
        MicroTensor output = node.output(0);
        int total = batch * filters * memory;
        for (int i = 0; i + 1 < total; i++) {
            state.setFloat(i, state.getFloat(i + 1));
        }
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < filters; f++) {
                float dot = 0f;
                for (int c = 0; c < inputSize; c++) {
                    dot += weightsFeature.getFloat(f * inputSize + c) * input.getFloat(b * inputSize + c);
                }
                state.setFloat((b * filters + f) * memory + memory - 1, dot);
            }
        }
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < filters; f++) {
                float sum = 0f;
                int at = (b * filters + f) * memory;
                for (int j = 0; j < memory; j++) {
                    sum += weightsTime.getFloat(f * memory + j) * state.getFloat(at + j);
                }
                floatFilterSums[b * filters + f] = sum;
            }
        }
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                float sum = bias != null ? bias.getFloat(u) : 0f;
                for (int k = 0; k < rank; k++) {
                    sum += floatFilterSums[b * filters + u * rank + k];
                }
                output.setFloat(b * units + u, activate(sum));
            }
        }
    }

    /** TFLM's {@code ActivationValFloat}. */
    private float activate(float a) {
        switch (activation) {
            case 1: return Math.max(0f, a);
            case 2: return Math.max(-1f, Math.min(a, 1f));
            case 3: return Math.max(0f, Math.min(a, 6f));
            case 4: return LibmFloat.tanhf(a);
            case 5: return (Float.floatToRawIntBits(a) < 0) ? 1f : 0f;
            default: return a;
        }
    }
}
