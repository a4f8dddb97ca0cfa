package dev.mote.runtime.format;

import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.ModelWarning;

import java.util.ArrayList;
import java.util.List;

/**
 * Semantic checks a decoded {@link Model} must pass before anything is allocated for it: schema version, every
 * index in range, shapes non-negative and small enough that byte sizes cannot overflow, constant buffers at least
 * as long as their tensor's shape and type say, and an operator order in which every tensor is written before it
 * is read and no tensor but a variable has more than one producer (which rules out cycles).
 *
 * <p>It refuses only what TFLM refuses or what would compute garbage. What TFLM reads without complaint but looks
 * wrong is returned as a {@link ModelWarning} instead: a per-channel quantization whose scale count does not match
 * its tensor's dimension (TFLM checks that in the kernels that use per-channel parameters, e.g. CONV_2D's filter,
 * and ignores it elsewhere, e.g. on a bias), a zero point count other than the scale count, a scale that is not
 * finite and positive (kernels that compute with it refuse it), a constant buffer longer than its tensor, an
 * operator code version below 1, and tensors that nothing uses. The rank is not limited here (TFLM does not limit
 * it either; kernels check the ranks they support).
 */
public final class ModelValidator {
    /** Largest byte size of one tensor (any larger cannot live in a Java array, let alone a microcontroller). */
    public static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 64;

    private ModelValidator() {
    }

    /**
     * Validates the model and returns its warnings (empty for a clean model).
     *
     * @throws InvalidModelException if TFLM would refuse the model or it would compute garbage
     */
    public static List<ModelWarning> validate(Model model) {
        List<ModelWarning> warnings = new ArrayList<>();
        if (model.version() != Model.SCHEMA_VERSION) {
            throw new InvalidModelException("unsupported schema version " + model.version() + " (Mote reads version "
                    + Model.SCHEMA_VERSION + ")");
        }
        if (model.subgraphs().isEmpty()) {
            throw new InvalidModelException("invalid model: no subgraphs");
        }
        for (int i = 0; i < model.operatorCodes().size(); i++) {
            OperatorCode code = model.operatorCodes().get(i);
            if (code.version() < 1) {
                warnings.add(new ModelWarning(ModelWarning.Kind.OPERATOR_CODE, -1, -1, "operator_codes[" + i + "] ("
                        + code.displayName() + ")", "version", "is " + code.version() + ", operator versions start "
                        + "at 1; TFLM does not read the version, so the model runs"));
            }
        }
        for (MetadataEntry entry : model.metadata()) {
            checkIndex(entry.buffer(), model.buffers().size(), "metadata '" + entry.name() + "' buffer");
        }
        for (int s = 0; s < model.subgraphs().size(); s++) {
            validateSubgraph(model, s, warnings);
        }
        return List.copyOf(warnings);
    }

    /** The warnings of a model that {@link #validate} accepts (the same list). */
    public static List<ModelWarning> warnings(Model model) {
        return validate(model);
    }

    private static void validateSubgraph(Model model, int s, List<ModelWarning> warnings) {
        Subgraph sg = model.subgraphs().get(s);
        String where = "subgraph " + s;
        List<Tensor> tensors = sg.tensors();
        for (int t = 0; t < tensors.size(); t++) {
            validateTensor(model, tensors.get(t), s, t, warnings);
        }
        for (int in : sg.inputs()) {
            checkIndex(in, tensors.size(), where + " input");
        }
        for (int out : sg.outputs()) {
            checkIndex(out, tensors.size(), where + " output");
        }
        // Data flow: a tensor read by an operator must be constant, a subgraph input, a variable, or written by an
        // earlier operator. This also rules out cycles. A zero-element tensor no operator writes is an empty constant
        // (the converter writes e.g. RESHAPE's shape [] as an INT32 tensor of shape [0] with an empty buffer).
        boolean[] written = new boolean[tensors.size()];
        for (Operator op : sg.operators()) {
            for (int i = 0; i < op.outputCount(); i++) {
                int t = op.output(i);
                if (t >= 0 && t < written.length) {
                    written[t] = true;
                }
            }
        }
        boolean[] available = new boolean[tensors.size()];
        for (int t = 0; t < tensors.size(); t++) {
            Tensor tensor = tensors.get(t);
            available[t] = tensor.isVariable() || !model.buffer(tensor.buffer()).isEmpty()
                    || (tensor.elementCount() == 0 && !written[t]);
        }
        // Who produced each tensor so far: -2 nobody, -1 the caller (a subgraph input), else the operator index.
        int[] producer = new int[tensors.size()];
        java.util.Arrays.fill(producer, -2);
        for (int in : sg.inputs()) {
            available[in] = true;
            producer[in] = -1;
        }
        for (int o = 0; o < sg.operators().size(); o++) {
            Operator op = sg.operators().get(o);
            String opWhere = where + " operator " + o;
            checkIndex(op.opcodeIndex(), model.operatorCodes().size(), opWhere + " opcode_index");
            String name = model.operatorCodes().get(op.opcodeIndex()).displayName();
            for (int i = 0; i < op.inputCount(); i++) {
                int t = op.input(i);
                if (t == -1) {
                    continue;
                }
                checkIndex(t, tensors.size(), opWhere + " (" + name + ") input " + i);
                if (!available[t]) {
                    throw new InvalidModelException("invalid model: " + opWhere + " (" + name + ") reads tensor " + t
                            + " ('" + tensors.get(t).name() + "') before any operator writes it");
                }
            }
            if (op.outputCount() == 0) {
                throw new InvalidModelException("invalid model: " + opWhere + " (" + name + ") has no outputs");
            }
            for (int i = 0; i < op.outputCount(); i++) {
                int t = op.output(i);
                checkIndex(t, tensors.size(), opWhere + " (" + name + ") output " + i);
                if (!model.buffer(tensors.get(t).buffer()).isEmpty()) {
                    throw new InvalidModelException("invalid model: " + opWhere + " (" + name + ") writes constant tensor "
                            + t + " ('" + tensors.get(t).name() + "')");
                }
                // One producer per tensor (variables excepted: stateful operators update them). A second writer
                // would be a cycle (an operator writing what it or an earlier operator read) or a clobbered value.
                if (producer[t] != -2 && !tensors.get(t).isVariable()) {
                    String label = "tensor " + t + " ('" + tensors.get(t).name() + "')";
                    String why = contains(op.inputs(), t) ? "reads and writes " + label + " (a cycle)"
                            : producer[t] == -1 ? "writes " + label + ", which is a subgraph input"
                            : producer[t] == o ? "writes " + label + " twice"
                            : "writes " + label + ", which operator " + producer[t] + " already writes";
                    throw new InvalidModelException("invalid model: " + opWhere + " (" + name + ") " + why
                            + "; every tensor has exactly one producer");
                }
                producer[t] = o;
                available[t] = true;
            }
        }
        for (int out : sg.outputs()) {
            if (!available[out]) {
                throw new InvalidModelException("invalid model: " + where + " output tensor " + out + " ('"
                        + tensors.get(out).name() + "') is never produced");
            }
        }
        boolean[] used = new boolean[tensors.size()];
        for (int in : sg.inputs()) {
            used[in] = true;
        }
        for (int out : sg.outputs()) {
            used[out] = true;
        }
        for (Operator op : sg.operators()) {
            for (int t : op.inputs()) {
                if (t >= 0) {
                    used[t] = true;
                }
            }
            for (int t : op.outputs()) {
                used[t] = true;
            }
        }
        for (int t = 0; t < tensors.size(); t++) {
            if (!used[t]) {
                warnings.add(ModelWarning.tensor(ModelWarning.Kind.UNUSED_TENSOR, s, t, tensors.get(t).name(),
                        "tensor", "no operator reads or writes it and it is not a subgraph input or output; it "
                                + "takes no arena (TFLM does not plan it either) but its buffer stays in the file"));
            }
        }
    }

    private static void validateTensor(Model model, Tensor tensor, int subgraph, int index,
                                       List<ModelWarning> warnings) {
        String label = "subgraph " + subgraph + " tensor " + index + " ('" + tensor.name() + "')";
        checkIndex(tensor.buffer(), Math.max(model.buffers().size(), 1), label + " buffer");
        if (model.buffers().isEmpty() && tensor.buffer() != 0) {
            throw new InvalidModelException("invalid model: " + label + " refers to buffer " + tensor.buffer()
                    + " but the model has no buffers");
        }
        int[] shape = tensor.shape();
        long elements = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new InvalidModelException("invalid model: " + label + " has negative dimension " + d + " ("
                        + shape[d] + "); dynamic shapes are not supported on microcontrollers");
            }
            elements *= shape[d];
            if (elements > MAX_TENSOR_BYTES) {
                throw new InvalidModelException("invalid model: " + label + " shape " + java.util.Arrays.toString(shape)
                        + " has more than " + MAX_TENSOR_BYTES + " elements");
            }
        }
        int elementBytes = tensor.type().bytesPerElement();
        long bytes = elements * elementBytes;
        if (bytes > MAX_TENSOR_BYTES) {
            throw new InvalidModelException("invalid model: " + label + " needs " + bytes + " bytes, more than the limit "
                    + MAX_TENSOR_BYTES);
        }
        if (!model.buffers().isEmpty()) {
            DataBuffer data = model.buffer(tensor.buffer());
            if (!data.isEmpty() && elementBytes > 0 && data.length() < bytes) {
                throw new InvalidModelException("invalid model: " + label + " of type " + tensor.type() + " and shape "
                        + java.util.Arrays.toString(shape) + " needs " + bytes + " bytes of data, buffer "
                        + tensor.buffer() + " has only " + data.length() + " (TFLM would read past its end)");
            }
            if (!data.isEmpty() && elementBytes > 0 && data.length() > bytes) {
                warnings.add(ModelWarning.tensor(ModelWarning.Kind.DATA, subgraph, index, tensor.name(), "buffer",
                        "buffer " + tensor.buffer() + " has " + data.length() + " bytes, the " + tensor.type()
                                + " shape " + java.util.Arrays.toString(shape) + " needs " + bytes + "; the first "
                                + bytes + " are used (as in TFLM), the rest is never read"));
            }
        }
        Quantization q = tensor.quantization();
        if (q.zeroPoints().length != 0 && q.scales().length != q.zeroPoints().length) {
            warnings.add(ModelWarning.tensor(ModelWarning.Kind.QUANTIZATION, subgraph, index, tensor.name(),
                    "quantization.zero_point", "has " + q.zeroPoints().length + " values for " + q.channelCount()
                            + " scales; TFLM reads the first (per-channel kernels ignore the filter zero points)"));
        }
        if (q.channelCount() > 1) {
            int axis = q.quantizedDimension();
            if (axis < 0 || axis >= shape.length || shape[axis] != q.channelCount()) {
                warnings.add(ModelWarning.tensor(ModelWarning.Kind.QUANTIZATION, subgraph, index, tensor.name(),
                        "quantization.quantized_dimension", "has " + q.channelCount() + " per-channel scales on "
                                + "quantized_dimension " + axis + " but its shape is "
                                + java.util.Arrays.toString(shape) + "; TFLM does not check this (kernels that use "
                                + "per-channel scales check their own operands, and e.g. CONV_2D ignores its "
                                + "bias's axis), so the model runs"));
            }
        }
        for (float scale : q.scales()) {
            if (!(scale > 0f) || Float.isInfinite(scale)) {
                warnings.add(ModelWarning.tensor(ModelWarning.Kind.QUANTIZATION, subgraph, index, tensor.name(),
                        "quantization.scale", "is " + scale + " (a scale should be finite and > 0); kernels that "
                                + "compute with it refuse it, TFLM and Mote run the others"));
                break;
            }
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static void checkIndex(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw new InvalidModelException("invalid model: " + what + " index " + index + " is out of range [0, "
                    + size + ")");
        }
    }
}
