package dev.mote.exporter;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.plan.PlannedOp;
import dev.mote.dsl.plan.PlannedTensor;
import dev.mote.dsl.plan.PlannedWeights;
import dev.mote.dsl.plan.QuantRule;
import dev.mote.dsl.SequenceImage;
import dev.mote.vocabulary.Activation;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.vocabulary.QuantParams;
import dev.mote.vocabulary.QuantizationRules;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link TensorPlan} as TFLite tensors and operators through {@link ModelBuilder}: quantized (or float)
 * weights and biases, shape/axis/padding constants, operator options and versions, and the
 * {@code min_runtime_version} metadata. What each tensor is and how it is quantized is the plan's; this class only
 * writes it.
 */
final class ModelEmitter {
    /** The size of the converter's {@code min_runtime_version} buffer. */
    private static final int RUNTIME_VERSION_BYTES = 16;

    private final ModelSpec spec;
    private final ModelParameters parameters;
    private final TensorPlan plan;
    private final ExportOptions options;
    /** True for an integer export (int8 or 16x8): the activations are quantized. */
    private final boolean quantized;
    /** True for 16x8: int16 activations, int64 bias. */
    private final boolean int16;
    private final ModelBuilder builder = new ModelBuilder();
    private final Map<BuiltinOperator, Integer> versions = new EnumMap<>(BuiltinOperator.class);
    private final Set<BuiltinOperator> opsInOrder = new LinkedHashSet<>();
    private QuantParams[] params;
    private int[] tensorOf;

    /** The result: the builder (before metadata-dependent extras) and where each value ended up. */
    record Result(ModelBuilder builder, int[] nodeTensors, Set<BuiltinOperator> operators) {
    }

    ModelEmitter(TensorPlan plan, ModelParameters parameters, ExportOptions options) {
        this.spec = plan.spec();
        this.parameters = parameters;
        this.plan = plan;
        this.options = options;
        this.quantized = options.precision().quantized();
        this.int16 = options.precision() == Precision.INT16X8;
    }

    Result emit() {
        if (plan.output().id() == plan.input().id()) {
            throw new ExportException("model '" + spec.name() + "' computes nothing: its output is its input");
        }
        builder.subgraphName("");
        if (int16) {
            refuseWhatTflmCannotRunIn16x8();
        }
        if (quantized) {
            params = Int8Parameters.of(plan, parameters, options.precision().activationType());
        }
        for (PlannedOp op : plan.ops()) {
            boolean keepNumDims = op.op() == BuiltinOperator.FULLY_CONNECTED
                    && plan.tensor(op.output()).shape().length == 3;
            boolean transposeBias = op.op() == BuiltinOperator.TRANSPOSE_CONV && plan.weights(op.node()).hasBias();
            versions.merge(op.op(), OpVersions.version(op.op(), options.precision(), isDilatedDepthwise(op),
                    keepNumDims, transposeBias), Math::max);
        }
        if (options.floatIo()) {
            for (BuiltinOperator io : new BuiltinOperator[] {BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE}) {
                versions.merge(io, OpVersions.version(io, options.precision(), false), Math::max);
            }
        }
        tensorOf = new int[plan.tensors().size()];
        Arrays.fill(tensorOf, -1);
        emitInput();
        for (PlannedOp op : plan.ops()) {
            emitOp(op);
        }
        emitOutput();
        builder.addMetadata("min_runtime_version", runtimeVersion());
        int[] nodeTensors = new int[spec.nodes().size()];
        for (int i = 0; i < nodeTensors.length; i++) {
            nodeTensors[i] = tensorOf[plan.tensorOf(i).id()];
        }
        return new Result(builder, nodeTensors, opsInOrder);
    }

    /**
     * 16x8 mode exports only what TFLM (and micro-runtime) run with int16 activations: an LSTM (TFLM's 16x8
     * UNIDIRECTIONAL_SEQUENCE_LSTM needs the converter's intermediate gate tensors; micro-runtime has no 16x8 LSTM),
     * HARD_SWISH (TFLM's kernel is float32/int8 only) and a RELU or RELU6 that cannot be fused into the operator
     * before it (no int16 RELU/RELU6 in micro-runtime) are refused, naming the layer.
     */
    private void refuseWhatTflmCannotRunIn16x8() {
        for (PlannedOp op : plan.ops()) {
            String why = switch (op.op()) {
                case UNIDIRECTIONAL_SEQUENCE_LSTM -> "is an LSTM, which 16x8 export does not support (micro-runtime "
                        + "has no 16x8 UNIDIRECTIONAL_SEQUENCE_LSTM kernel, and TFLM's needs intermediate gate "
                        + "tensors Mote does not write); export it with ExportOptions.int8()";
                case HARD_SWISH -> "becomes HARD_SWISH, which TFLM runs in float32 and int8 only; export with "
                        + "ExportOptions.int8(), or use another activation for 16x8";
                case RELU, RELU6 -> "becomes a standalone " + op.op() + " (it cannot be fused into the operator "
                        + "before it), which Mote does not export with int16 activations; place it directly after a "
                        + "Dense, Conv or Add so that it is fused, or export with ExportOptions.int8()";
                default -> null;
            };
            if (why != null) {
                throw ExportFailures.at(spec.node(op.node()), why + " [16x8]");
            }
        }
    }

    private boolean isDilatedDepthwise(PlannedOp op) {
        return spec.node(op.node()).layer() instanceof LayerSpec.DepthwiseConv2D d
                && (d.dilationH() != 1 || d.dilationW() != 1);
    }

    private TensorType activationType() {
        return options.precision().activationType();
    }

    private String name(int node, String suffix) {
        return options.tensorNames() ? spec.node(node).name() + suffix : "";
    }

    private Quantization quantization(int tensor) {
        return quantized ? Quantization.perTensor(params[tensor].scale(), params[tensor].zeroPoint()) : Quantization.NONE;
    }

    private int tensorFor(PlannedTensor t) {
        if (t.variable()) {
            boolean cell = t.rule() == QuantRule.CELL_STATE;
            TensorType type = !quantized ? TensorType.FLOAT32 : cell ? TensorType.INT16 : TensorType.INT8;
            return builder.addVariable(name(t.nameNode(), cell ? "/cell_state" : "/output_state"), type, t.shape(),
                    quantization(t.id()));
        }
        boolean inserted = t.producer() == BuiltinOperator.RESHAPE && !(spec.node(t.producerNode()).layer()
                instanceof LayerSpec.Flatten || spec.node(t.producerNode()).layer() instanceof LayerSpec.Reshape);
        return builder.addTensor(name(t.nameNode(), inserted ? "/reshaped" + t.id() : ""), activationType(),
                t.shape(), quantization(t.id()));
    }

    private void emitInput() {
        PlannedTensor in = plan.input();
        if (options.floatIo()) {
            int floatIn = builder.addInput(name(in.nameNode(), "/float"), TensorType.FLOAT32, in.shape(),
                    Quantization.NONE);
            tensorOf[in.id()] = tensorFor(in);
            addOperator(BuiltinOperator.QUANTIZE, BuiltinOptions.NONE, new int[] {floatIn},
                    new int[] {tensorOf[in.id()]});
        } else {
            tensorOf[in.id()] = builder.addInput(name(in.nameNode(), ""), activationType(), in.shape(),
                    quantization(in.id()));
        }
    }

    private void emitOutput() {
        PlannedTensor out = plan.output();
        if (options.floatIo()) {
            int floatOut = builder.addTensor(name(out.nameNode(), "/float"), TensorType.FLOAT32, out.shape(),
                    Quantization.NONE);
            addOperator(BuiltinOperator.DEQUANTIZE, BuiltinOptions.NONE, new int[] {tensorOf[out.id()]},
                    new int[] {floatOut});
            builder.addOutput(floatOut);
        } else {
            builder.addOutput(tensorOf[out.id()]);
        }
    }

    private void addOperator(BuiltinOperator op, BuiltinOptions opOptions, int[] in, int[] out) {
        opsInOrder.add(op);
        builder.addOperator(op, versions.get(op), opOptions, in, out);
    }

    private void emitOp(PlannedOp op) {
        int[] opInputs = op.inputs();
        int[] in = new int[opInputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = tensorOf[opInputs[i]];
        }
        LayerNode node = spec.node(op.node());
        int[] inShape = plan.tensor(opInputs[0]).shape();
        PlannedTensor out = plan.tensor(op.output());
        if (op.op() == BuiltinOperator.QUANTIZE && !quantized) {
            // a requantization before a concatenation exists only in an integer model
            tensorOf[out.id()] = in[0];
            return;
        }
        BuiltinOptions opOptions = BuiltinOptions.NONE;
        int[] inputs = in;
        int fused = op.fused().code();
        switch (op.op()) {
            case FULLY_CONNECTED -> {
                inputs = linearInputs(op, in[0]);
                // dense per step keeps [1, steps, units], as the converter writes Keras' Dense on a sequence
                boolean perStep = out.shape().length == 3;
                opOptions = new BuiltinOptions.FullyConnected(fused, 0, perStep, false);
            }
            case CONV_2D -> {
                LayerSpec.Conv2D c = (LayerSpec.Conv2D) SequenceImage.equivalent2d(node.layer());
                inputs = linearInputs(op, in[0]);
                opOptions = new BuiltinOptions.Conv2D(c.padding().code(), c.strideW(), c.strideH(), fused,
                        c.dilationW(), c.dilationH());
            }
            case TRANSPOSE_CONV -> {
                // as the TF converter writes it: output_shape (int32 [4] constant), filter [outC, kH, kW, inC],
                // input, then the bias when the layer has one; no fused activation (a following RELU stays its own
                // operator) and quantized_bias_type 0, so the version stays at most 3
                LayerSpec.Conv2DTranspose c = (LayerSpec.Conv2DTranspose) node.layer();
                int[] linear = linearInputs(op, in[0]);
                int[] target = out.shape();
                int outputShape = builder.addInt32Constant(name(node.index(), "/output_shape"), new int[] {4},
                        new int[] {1, target[target.length - 3], target[target.length - 2],
                                target[target.length - 1]}, Quantization.NONE);
                inputs = linear[2] >= 0 ? new int[] {outputShape, linear[1], linear[0], linear[2]}
                        : new int[] {outputShape, linear[1], linear[0]};
                opOptions = new BuiltinOptions.TransposeConv(c.padding().code(), c.strideW(), c.strideH(),
                        Activation.NONE.code(), 0);
            }
            case DEPTHWISE_CONV_2D -> {
                LayerSpec.DepthwiseConv2D c = (LayerSpec.DepthwiseConv2D) node.layer();
                inputs = linearInputs(op, in[0]);
                opOptions = new BuiltinOptions.DepthwiseConv2D(c.padding().code(), c.strideW(), c.strideH(),
                        c.depthMultiplier(), fused, c.dilationW(), c.dilationH());
            }
            case MAX_POOL_2D -> {
                LayerSpec.MaxPool2D p = (LayerSpec.MaxPool2D) SequenceImage.equivalent2d(node.layer());
                opOptions = new BuiltinOptions.Pool2D(p.padding().code(), p.strideW(), p.strideH(), p.poolW(),
                        p.poolH(), 0);
            }
            case AVERAGE_POOL_2D -> {
                LayerSpec.AvgPool2D p = (LayerSpec.AvgPool2D) SequenceImage.equivalent2d(node.layer());
                opOptions = new BuiltinOptions.Pool2D(p.padding().code(), p.strideW(), p.strideH(), p.poolW(),
                        p.poolH(), 0);
            }
            case MEAN -> {
                int axis = builder.addInt32Constant(name(node.index(), "/axis"), new int[] {2}, new int[] {1, 2},
                        Quantization.NONE);
                inputs = new int[] {in[0], axis};
                opOptions = new BuiltinOptions.Reducer(false);
            }
            case RESHAPE -> {
                int[] target = out.shape();
                int shape = builder.addInt32Constant(name(node.index(), "/shape" + out.id()),
                        new int[] {target.length}, target, Quantization.NONE);
                inputs = new int[] {in[0], shape};
            }
            case STRIDED_SLICE -> {
                // x[:, -1, :] as TF writes it: begin [0, -1, 0], end [0, 0, 0], strides 1, begin and end masks on
                // the first and last axes, the steps axis shrunk
                int begin = builder.addInt32Constant(name(node.index(), "/begin"), new int[] {3},
                        new int[] {0, -1, 0}, Quantization.NONE);
                int end = builder.addInt32Constant(name(node.index(), "/end"), new int[] {3}, new int[] {0, 0, 0},
                        Quantization.NONE);
                int strides = builder.addInt32Constant(name(node.index(), "/strides"), new int[] {3},
                        new int[] {1, 1, 1}, Quantization.NONE);
                inputs = new int[] {in[0], begin, end, strides};
                opOptions = new BuiltinOptions.StridedSlice(5, 5, 0, 0, 2, false);
            }
            case UNIDIRECTIONAL_SEQUENCE_LSTM -> {
                inputs = lstmInputs(op, in);
                opOptions = new BuiltinOptions.UnidirectionalSequenceLstm(Activation.TANH.code(), 0f, 0f, false,
                        false, false);
            }
            case PAD -> {
                LayerSpec.ZeroPad2D p = (LayerSpec.ZeroPad2D) node.layer();
                int paddings = builder.addInt32Constant(name(node.index(), "/paddings"), new int[] {4, 2},
                        new int[] {0, 0, p.top(), p.bottom(), p.left(), p.right(), 0, 0}, Quantization.NONE);
                inputs = new int[] {in[0], paddings};
            }
            // 16x8: the converter sets pot_scale_int16 false (general int16 scales), as TFLM's int16 ADD expects
            case ADD -> opOptions = new BuiltinOptions.Add(fused, !int16);
            case CONCATENATION -> opOptions = new BuiltinOptions.Concatenation(inShape.length - 1, 0);
            case SOFTMAX -> opOptions = new BuiltinOptions.Softmax(1.0f);
            case LEAKY_RELU -> opOptions = new BuiltinOptions.LeakyRelu(((LayerSpec.Activation) node.layer()).alpha());
            case RELU, RELU6, TANH, LOGISTIC, HARD_SWISH, QUANTIZE -> {
            }
            default -> throw new ExportException("internal: no emitter for " + op.op());
        }
        tensorOf[out.id()] = tensorFor(out);
        addOperator(op.op(), opOptions, inputs, new int[] {tensorOf[out.id()]});
    }

    /**
     * The 24 operands of UNIDIRECTIONAL_SEQUENCE_LSTM (TFLM's {@code lstm_shared.h} order): the input, the eight
     * gate matrices (1 to 8), no peepholes (9 to 11), the four gate biases (12 to 15), no projection (16, 17), the
     * output state (18) and the cell state (19), no layer norm (20 to 23). int8: every matrix symmetric per tensor,
     * each gate's int32 bias at input scale × that gate's input-weight scale (the scale TFLM's input
     * FULLY_CONNECTED of the gate accumulates in; the recurrent one has no bias).
     */
    private int[] lstmInputs(PlannedOp op, int[] in) {
        LayerNode node = spec.node(op.node());
        PlannedWeights planned = plan.weights(op.node());
        float[] w = parameters.weights(node.index());
        if (w == null || w.length != planned.weightCount()) {
            throw ExportFailures.at(node, "needs " + planned.weightCount() + " LSTM weights (8 gate matrices, see "
                    + "LayerSpec.Lstm), the model parameters have " + (w == null ? "none" : String.valueOf(w.length)));
        }
        requireFinite(node, w, "weights");
        float[] bias = parameters.bias(node.index());
        if (bias == null || bias.length != planned.biasLength()) {
            throw ExportFailures.at(node, "needs " + planned.biasLength() + " LSTM biases (4 gates), the model "
                    + "parameters have " + (bias == null ? "none" : String.valueOf(bias.length)));
        }
        requireFinite(node, bias, "bias");
        String[] gates = {"input", "forget", "cell", "output"};
        int[] operands = new int[24];
        Arrays.fill(operands, -1);
        operands[0] = in[0];
        float inputScale = quantized ? params[op.inputs()[0]].scale() : 0f;
        float[] inputWeightScales = new float[4];
        for (int k = 1; k <= 8; k++) {
            int[] m = planned.lstmMatrix(k);
            int[] shape = {m[1], m[2]};
            float[] matrix = Arrays.copyOfRange(w, m[0], m[0] + m[1] * m[2]);
            String label = name(node.index(), (k <= 4 ? "/input_to_" : "/recurrent_to_") + gates[(k - 1) % 4]
                    + "_weights");
            if (!quantized) {
                operands[k] = builder.addFloatConstant(label, shape, matrix);
                continue;
            }
            float[] scale = QuantizationRules.weightScales(matrix, shape, -1);
            if (k <= 4) {
                scale = QuantizationRules.fitBias(scale, Arrays.copyOfRange(bias, (k - 1) * m[1], k * m[1]),
                        inputScale);
                inputWeightScales[k - 1] = scale[0];
            }
            byte[] q = QuantizationRules.quantizeWeights(matrix, shape, -1, scale);
            operands[k] = builder.addConstant(label, TensorType.INT8, shape, q, Quantization.perTensor(scale[0], 0));
        }
        int units = planned.biasLength() / 4;
        for (int g = 0; g < 4; g++) {
            float[] b = Arrays.copyOfRange(bias, g * units, (g + 1) * units);
            String label = name(node.index(), "/" + gates[g] + "_gate_bias");
            if (!quantized) {
                operands[12 + g] = builder.addFloatConstant(label, new int[] {units}, b);
                continue;
            }
            float[] biasScale = QuantizationRules.biasScales(inputScale, new float[] {inputWeightScales[g]});
            operands[12 + g] = builder.addInt32Constant(label, new int[] {units},
                    QuantizationRules.quantizeBias(b, biasScale), Quantization.perTensor(biasScale[0], 0));
        }
        int[] states = op.inputs();
        for (int s = 1; s <= 2; s++) {
            PlannedTensor state = plan.tensor(states[s]);
            tensorOf[state.id()] = tensorFor(state);
            operands[17 + s] = tensorOf[state.id()];
        }
        return operands;
    }

    /** Weights and bias constants of FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D; returns the op's inputs. */
    private int[] linearInputs(PlannedOp op, int input) {
        LayerNode node = spec.node(op.node());
        PlannedWeights planned = plan.weights(op.node());
        int[] wShape = planned.shape();
        int channelAxis = planned.channelAxis();
        int outChannels = planned.outputChannels();
        float[] w = parameters.weights(node.index());
        long expected = planned.weightCount();
        if (w == null || w.length != expected) {
            throw ExportFailures.at(node, "needs " + expected + " weights " + Arrays.toString(wShape) + ", the model "
                    + "parameters have " + (w == null ? "none" : String.valueOf(w.length)));
        }
        requireFinite(node, w, "weights");
        float[] bias = parameters.bias(node.index());
        if (bias != null && bias.length != outChannels) {
            throw ExportFailures.at(node, "needs a bias of " + outChannels + " values, the model parameters have "
                    + bias.length);
        }
        if (bias != null) {
            requireFinite(node, bias, "bias");
        }
        if (!planned.hasBias()) {
            if (bias != null && anyNonZero(bias)) {
                throw ExportFailures.at(node, "is declared without a bias, but the model parameters give it a "
                        + "non-zero bias; declare the layer with a bias or pass zeros");
            }
            bias = null;
        } else if (bias == null) {
            bias = new float[outChannels];
        }
        if (!quantized) {
            int wt = builder.addFloatConstant(name(node.index(), "/weights"), wShape, w);
            int bt = bias != null ? builder.addFloatConstant(name(node.index(), "/bias"), new int[] {outChannels},
                    bias) : -1;
            return new int[] {input, wt, bt};
        }
        float inputScale = params[op.inputs()[0]].scale();
        float[] scales = QuantizationRules.weightScales(w, wShape, channelAxis);
        if (bias != null && !int16) {
            // an int64 bias (16x8) always fits: no widening
            scales = QuantizationRules.fitBias(scales, bias, inputScale);
        }
        byte[] q = QuantizationRules.quantizeWeights(w, wShape, channelAxis, scales);
        Quantization wq = channelAxis < 0 ? Quantization.perTensor(scales[0], 0)
                : Quantization.perChannel(scales, new long[scales.length], channelAxis);
        int wt = builder.addConstant(name(node.index(), "/weights"), TensorType.INT8, wShape, q, wq);
        int bt = -1;
        if (bias != null) {
            float[] biasScales = QuantizationRules.biasScales(inputScale, scales);
            Quantization bq = channelAxis < 0 ? Quantization.perTensor(biasScales[0], 0)
                    : Quantization.perChannel(biasScales, new long[biasScales.length], 0);
            if (int16) {
                long[] qb = QuantizationRules.quantizeBiasInt64(bias, biasScales);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * qb.length)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (long v : qb) {
                    b.putLong(v);
                }
                bt = builder.addConstant(name(node.index(), "/bias"), TensorType.INT64, new int[] {outChannels},
                        b.array(), bq);
            } else {
                int[] qb = QuantizationRules.quantizeBias(bias, biasScales);
                bt = builder.addInt32Constant(name(node.index(), "/bias"), new int[] {outChannels}, qb, bq);
            }
        }
        return new int[] {input, wt, bt};
    }

    private static void requireFinite(LayerNode node, float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw ExportFailures.at(node, "has a non-finite " + what + " value " + values[i] + " at " + i);
            }
        }
    }

    private static boolean anyNonZero(float[] values) {
        for (float v : values) {
            if (v != 0f) {
                return true;
            }
        }
        return false;
    }

    private byte[] runtimeVersion() {
        String min = "";
        for (Map.Entry<BuiltinOperator, Integer> e : versions.entrySet()) {
            String v = OpVersions.minimumRuntime(e.getKey(), e.getValue());
            if (v != null && (min.isEmpty() || OpVersions.older(min, v))) {
                min = v;
            }
        }
        byte[] text = min.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(text, RUNTIME_VERSION_BYTES);
    }
}
