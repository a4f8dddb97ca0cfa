package dev.mote.runtime.format;

import dev.mote.vocabulary.TensorType;

import dev.mote.vocabulary.Activation;

import dev.mote.vocabulary.BuiltinOperator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a single-subgraph {@link Model} tensor by tensor and operator by operator, then writes it with
 * {@link ModelWriter}. Used by the exporter and by tests that need small models.
 *
 * <pre>{@code
 * ModelBuilder b = new ModelBuilder();
 * int in = b.addInput("x", TensorType.INT8, new int[] {1, 4}, Quantization.perTensor(0.1f, 0));
 * int w = b.addConstant("w", TensorType.INT8, new int[] {2, 4}, weights, Quantization.perTensor(0.02f, 0));
 * int out = b.addTensor("y", TensorType.INT8, new int[] {1, 2}, Quantization.perTensor(0.2f, -3));
 * b.addOperator(BuiltinOperator.FULLY_CONNECTED, 4, BuiltinOptions.FullyConnected.of(Activation.NONE),
 *         new int[] {in, w, -1}, new int[] {out});
 * b.addOutput(out);
 * byte[] tflite = b.toBytes();
 * }</pre>
 */
public final class ModelBuilder {
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<DataBuffer> buffers = new ArrayList<>(List.of(DataBuffer.EMPTY));
    private final Map<String, Integer> opcodeIndex = new LinkedHashMap<>();
    private final List<OperatorCode> codes = new ArrayList<>();
    private final List<Operator> operators = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();
    private final List<MetadataEntry> metadata = new ArrayList<>();
    private String subgraphName = "main";
    private String description = "";

    /** Adds a non-constant tensor (an activation) and returns its index. */
    public int addTensor(String name, TensorType type, int[] shape, Quantization quantization) {
        tensors.add(new Tensor(shape, type, 0, name, quantization, false));
        return tensors.size() - 1;
    }

    /** Adds a variable tensor (a state, e.g. SVDF's or LSTM's, which TFLM keeps in its persistent area). */
    public int addVariable(String name, TensorType type, int[] shape, Quantization quantization) {
        tensors.add(new Tensor(shape, type, 0, name, quantization, true));
        return tensors.size() - 1;
    }

    /** Adds a tensor and marks it as a subgraph input. */
    public int addInput(String name, TensorType type, int[] shape, Quantization quantization) {
        int index = addTensor(name, type, shape, quantization);
        inputs.add(index);
        return index;
    }

    /** Adds a constant tensor with its raw little-endian bytes. */
    public int addConstant(String name, TensorType type, int[] shape, byte[] data, Quantization quantization) {
        buffers.add(DataBuffer.of(data));
        tensors.add(new Tensor(shape, type, buffers.size() - 1, name, quantization, false));
        return tensors.size() - 1;
    }

    /** Adds an INT32 constant (bias, shape or axis tensor). */
    public int addInt32Constant(String name, int[] shape, int[] values, Quantization quantization) {
        ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bb.putInt(v);
        }
        return addConstant(name, TensorType.INT32, shape, bb.array(), quantization);
    }

    /** Adds an unquantized INT32 vector constant of shape {@code [values.length]} (axes, a permutation, a shape). */
    public int addInt32Vector(String name, int... values) {
        return addInt32Constant(name, new int[] {values.length}, values, Quantization.NONE);
    }

    /** Adds a FLOAT32 constant. */
    public int addFloatConstant(String name, int[] shape, float[] values) {
        ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bb.putFloat(v);
        }
        return addConstant(name, TensorType.FLOAT32, shape, bb.array(), Quantization.NONE);
    }

    /** Marks an existing tensor as a subgraph output. */
    public ModelBuilder addOutput(int tensor) {
        outputs.add(tensor);
        return this;
    }

    /** Appends an operator (execution order is the order of calls); -1 in inputs marks an omitted optional input. */
    public ModelBuilder addOperator(BuiltinOperator op, int version, BuiltinOptions options, int[] in, int[] out) {
        String key = op.name() + "/" + version;
        Integer index = opcodeIndex.get(key);
        if (index == null) {
            codes.add(OperatorCode.of(op, version));
            index = codes.size() - 1;
            opcodeIndex.put(key, index);
        }
        operators.add(new Operator(index, in, out, options));
        return this;
    }

    /** Adds a metadata entry with its own buffer (e.g. {@code min_runtime_version}). */
    public ModelBuilder addMetadata(String name, byte[] data) {
        buffers.add(DataBuffer.of(data));
        metadata.add(new MetadataEntry(name, buffers.size() - 1));
        return this;
    }

    public ModelBuilder subgraphName(String name) {
        this.subgraphName = name;
        return this;
    }

    public ModelBuilder description(String description) {
        this.description = description;
        return this;
    }

    public int tensorCount() {
        return tensors.size();
    }

    /** The model (not validated: use {@link ModelValidator} or {@link ModelReader#read} on the bytes). */
    public Model build() {
        Subgraph sg = new Subgraph(tensors, inputs.stream().mapToInt(Integer::intValue).toArray(),
                outputs.stream().mapToInt(Integer::intValue).toArray(), operators, subgraphName);
        return new Model(Model.SCHEMA_VERSION, codes, List.of(sg), description, buffers, metadata);
    }

    /** The TFLite FlatBuffer bytes. */
    public byte[] toBytes() {
        return ModelWriter.write(build());
    }
}
