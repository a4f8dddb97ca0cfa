package dev.mote.runtime.format;

import dev.mote.runtime.InvalidModelException;

import java.util.List;

/**
 * Semantic checks a decoded {@link Model} must pass before anything is allocated for it: schema version, every
 * index in range, shapes non-negative and small enough that byte sizes cannot overflow, constant buffers exactly
 * as long as their tensor's shape and type say, and an operator order in which every tensor is written before it
 * is read and no tensor but a variable has more than one producer (which rules out cycles).
 */
public final class ModelValidator {
    /** Largest tensor rank accepted (TFLM kernels handle at most 5 or 6). */
    public static final int MAX_RANK = 8;
    /** Largest byte size of one tensor (any larger cannot live in a Java array, let alone a microcontroller). */
    public static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 64;

    private ModelValidator() {
    }

    public static void validate(Model model) {
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
                throw new InvalidModelException("invalid model: operator_codes[" + i + "] (" + code.displayName()
                        + ") has version " + code.version() + ", must be >= 1");
            }
        }
        for (MetadataEntry entry : model.metadata()) {
            checkIndex(entry.buffer(), model.buffers().size(), "metadata '" + entry.name() + "' buffer");
        }
        for (int s = 0; s < model.subgraphs().size(); s++) {
            validateSubgraph(model, s);
        }
    }

    private static void validateSubgraph(Model model, int s) {
        Subgraph sg = model.subgraphs().get(s);
        String where = "subgraph " + s;
        List<Tensor> tensors = sg.tensors();
        for (int t = 0; t < tensors.size(); t++) {
            validateTensor(model, tensors.get(t), where + " tensor " + t);
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
    }

    private static void validateTensor(Model model, Tensor tensor, String where) {
        String label = where + " ('" + tensor.name() + "')";
        checkIndex(tensor.buffer(), Math.max(model.buffers().size(), 1), label + " buffer");
        if (model.buffers().isEmpty() && tensor.buffer() != 0) {
            throw new InvalidModelException("invalid model: " + label + " refers to buffer " + tensor.buffer()
                    + " but the model has no buffers");
        }
        int[] shape = tensor.shape();
        if (shape.length > MAX_RANK) {
            throw new InvalidModelException("invalid model: " + label + " has rank " + shape.length + ", at most "
                    + MAX_RANK + " is supported");
        }
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
            if (!data.isEmpty() && elementBytes > 0 && data.length() != bytes) {
                throw new InvalidModelException("invalid model: " + label + " of type " + tensor.type() + " and shape "
                        + java.util.Arrays.toString(shape) + " needs " + bytes + " bytes of data, buffer "
                        + tensor.buffer() + " has " + data.length());
            }
        }
        Quantization q = tensor.quantization();
        if (q.scales().length != q.zeroPoints().length && q.zeroPoints().length != 0) {
            throw new InvalidModelException("invalid model: " + label + " has " + q.channelCount() + " scales but "
                    + q.zeroPoints().length + " zero points");
        }
        if (q.channelCount() > 1) {
            int axis = q.quantizedDimension();
            if (axis < 0 || axis >= shape.length || shape[axis] != q.channelCount()) {
                throw new InvalidModelException("invalid model: " + label + " has " + q.channelCount()
                        + " per-channel scales on quantized_dimension " + axis + " but its shape is "
                        + java.util.Arrays.toString(shape));
            }
        }
        for (float scale : q.scales()) {
            if (!(scale > 0f) || Float.isInfinite(scale)) {
                throw new InvalidModelException("invalid model: " + label + " has quantization scale " + scale
                        + " (must be finite and > 0)");
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
