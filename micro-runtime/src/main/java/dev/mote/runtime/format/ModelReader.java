package dev.mote.runtime.format;

import dev.mote.vocabulary.TensorType;

import dev.mote.vocabulary.BuiltinOperator;

import dev.mote.runtime.InvalidModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads TFLite FlatBuffers (file identifier {@code TFL3}, schema version 3) into a {@link Model} and validates
 * it with {@link ModelValidator}. Every offset is bounds-checked: malformed or hostile bytes give an
 * {@link InvalidModelException}, never an unchecked exception. Constant buffers are windows on the given array
 * (not copied), so the array must not be modified afterwards.
 *
 * <pre>{@code
 * Model model = ModelReader.read(Files.readAllBytes(Path.of("hello_world_int8.tflite")));
 * }</pre>
 */
public final class ModelReader {
    /** Largest file accepted (TFLM models live in flash; 2 GiB is the FlatBuffer limit anyway). */
    public static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 16;

    private ModelReader() {
    }

    /** Reads and validates a model. */
    public static Model read(byte[] bytes) {
        Model model = readUnvalidated(bytes);
        ModelValidator.validate(model);
        return model;
    }

    /** Reads and validates a model file. */
    public static Model read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    /**
     * Decodes the FlatBuffer without the semantic checks of {@link ModelValidator} (structure is still checked:
     * every offset, length and union type). For tools that want to show a broken model.
     */
    public static Model readUnvalidated(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidModelException("malformed model: no bytes");
        }
        if (bytes.length < 8) {
            throw new InvalidModelException("malformed model: " + bytes.length + " bytes is too short for a TFLite file");
        }
        if (bytes[4] != 'T' || bytes[5] != 'F' || bytes[6] != 'L' || bytes[7] != '3') {
            throw new InvalidModelException("not a TFLite model: file identifier is '" + printable(bytes, 4, 4)
                    + "', expected 'TFL3'");
        }
        SafeFlatBuffer fb = new SafeFlatBuffer(bytes, 4L * bytes.length + 4096);
        SafeFlatBuffer.Table root = fb.root();
        int version = (int) root.u32(0, "version", 0);
        List<OperatorCode> codes = readOperatorCodes(root);
        List<DataBuffer> buffers = readBuffers(fb, root);
        List<Subgraph> subgraphs = new ArrayList<>();
        SafeFlatBuffer.Vector sgs = root.vector(2, "subgraphs", 4);
        if (sgs != null) {
            for (int i = 0; i < sgs.count; i++) {
                subgraphs.add(readSubgraph(sgs.table(i)));
            }
        }
        String description = root.string(3, "description");
        List<MetadataEntry> metadata = new ArrayList<>();
        SafeFlatBuffer.Vector md = root.vector(6, "metadata", 4);
        if (md != null) {
            for (int i = 0; i < md.count; i++) {
                SafeFlatBuffer.Table t = md.table(i);
                metadata.add(new MetadataEntry(t.string(0, "name"), (int) Math.min(Integer.MAX_VALUE, t.u32(1, "buffer", 0))));
            }
        }
        return new Model(version, codes, subgraphs, description, buffers, metadata);
    }

    private static String printable(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            s.append(c >= 32 && c < 127 ? Character.toString(c) : String.format("\\x%02x", c));
        }
        return s.toString();
    }

    private static List<OperatorCode> readOperatorCodes(SafeFlatBuffer.Table root) {
        List<OperatorCode> codes = new ArrayList<>();
        SafeFlatBuffer.Vector v = root.vector(1, "operator_codes", 4);
        if (v == null) {
            return codes;
        }
        for (int i = 0; i < v.count; i++) {
            SafeFlatBuffer.Table t = v.table(i);
            int deprecated = t.i8(0, "deprecated_builtin_code", (byte) 0);
            String custom = t.string(1, "custom_code");
            int version = t.i32(2, "version", 1);
            int builtin = t.i32(3, "builtin_code", 0);
            // Same rule as TFLite's GetBuiltinCode: the larger of the two fields wins (old files only set the byte).
            int code = Math.max(builtin, deprecated);
            codes.add(new OperatorCode(BuiltinOperator.fromCode(code), code, custom, version));
        }
        return codes;
    }

    private static List<DataBuffer> readBuffers(SafeFlatBuffer fb, SafeFlatBuffer.Table root) {
        List<DataBuffer> buffers = new ArrayList<>();
        SafeFlatBuffer.Vector v = root.vector(4, "buffers", 4);
        if (v == null) {
            return buffers;
        }
        for (int i = 0; i < v.count; i++) {
            SafeFlatBuffer.Table t = v.table(i);
            SafeFlatBuffer.Vector data = t.vector(0, "data", 1);
            long offset = t.i64(1, "offset", 0);
            long size = t.i64(2, "size", 0);
            if (data != null && data.count > 0) {
                buffers.add(DataBuffer.view(fb.bytes(), (int) data.start, data.count));
            } else if (offset > 1) {
                if (size < 0 || offset < 0 || offset > fb.length() - size) {
                    throw new InvalidModelException("malformed model: buffer " + i + " points outside the file (offset "
                            + offset + ", size " + size + ", file is " + fb.length() + " bytes)");
                }
                buffers.add(DataBuffer.view(fb.bytes(), (int) offset, (int) size));
            } else {
                buffers.add(DataBuffer.EMPTY);
            }
        }
        return buffers;
    }

    private static Subgraph readSubgraph(SafeFlatBuffer.Table sg) {
        List<Tensor> tensors = new ArrayList<>();
        SafeFlatBuffer.Vector tv = sg.vector(0, "tensors", 4);
        if (tv != null) {
            for (int i = 0; i < tv.count; i++) {
                tensors.add(readTensor(tv.table(i)));
            }
        }
        int[] inputs = ints(sg.vector(1, "inputs", 4));
        int[] outputs = ints(sg.vector(2, "outputs", 4));
        List<Operator> operators = new ArrayList<>();
        SafeFlatBuffer.Vector ov = sg.vector(3, "operators", 4);
        if (ov != null) {
            for (int i = 0; i < ov.count; i++) {
                operators.add(readOperator(ov.table(i), i));
            }
        }
        return new Subgraph(tensors, inputs, outputs, operators, sg.string(4, "name"));
    }

    private static int[] ints(SafeFlatBuffer.Vector v) {
        return v == null ? new int[0] : v.ints();
    }

    private static Tensor readTensor(SafeFlatBuffer.Table t) {
        int[] shape = ints(t.vector(0, "shape", 4));
        int typeCode = t.i8(1, "type", (byte) 0);
        TensorType type = TensorType.fromCode(typeCode);
        if (type == null) {
            throw new InvalidModelException("malformed model: tensor at byte " + t.pos + " has unknown type code " + typeCode);
        }
        long buffer = t.u32(2, "buffer", 0);
        String name = t.string(3, "name");
        Quantization q = Quantization.NONE;
        SafeFlatBuffer.Table qt = t.table(4, "quantization");
        if (qt != null) {
            SafeFlatBuffer.Vector min = qt.vector(0, "min", 4);
            SafeFlatBuffer.Vector max = qt.vector(1, "max", 4);
            SafeFlatBuffer.Vector scale = qt.vector(2, "scale", 4);
            SafeFlatBuffer.Vector zp = qt.vector(3, "zero_point", 8);
            q = new Quantization(scale == null ? new float[0] : scale.floats(), zp == null ? new long[0] : zp.longs(),
                    qt.i32(6, "quantized_dimension", 0), min == null ? new float[0] : min.floats(),
                    max == null ? new float[0] : max.floats());
        }
        boolean variable = t.bool(5, "is_variable", false);
        return new Tensor(shape, type, (int) Math.min(Integer.MAX_VALUE, buffer), name, q, variable);
    }

    private static Operator readOperator(SafeFlatBuffer.Table op, int index) {
        long opcode = op.u32(0, "opcode_index", 0);
        int[] inputs = ints(op.vector(1, "inputs", 4));
        int[] outputs = ints(op.vector(2, "outputs", 4));
        int type = op.u8(3, "builtin_options_type", 0);
        BuiltinOptions options = BuiltinOptions.NONE;
        if (type != 0) {
            SafeFlatBuffer.Table o = op.table(4, "builtin_options");
            options = o == null ? new BuiltinOptions.Empty(type) : OptionsCodec.read(type, o);
        }
        return new Operator((int) Math.min(Integer.MAX_VALUE, opcode), inputs, outputs, options);
    }
}
