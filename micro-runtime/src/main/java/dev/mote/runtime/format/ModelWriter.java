package dev.mote.runtime.format;

import dev.mote.vocabulary.BuiltinOperator;

import com.google.flatbuffers.FlatBufferBuilder;

import java.util.List;

/**
 * Writes a {@link Model} as a TFLite FlatBuffer (identifier {@code TFL3}), the layout the TFLite converter
 * produces: buffer data 16-byte aligned, both {@code builtin_code} and {@code deprecated_builtin_code} set.
 *
 * <pre>{@code
 * byte[] bytes = ModelWriter.write(model);
 * }</pre>
 */
public final class ModelWriter {
    private ModelWriter() {
    }

    public static byte[] write(Model model) {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        // Buffers first, so that large data sits at the end of the file as in the converter's output.
        int[] buffers = new int[model.buffers().size()];
        for (int i = buffers.length - 1; i >= 0; i--) {
            DataBuffer data = model.buffers().get(i);
            int dataOffset = 0;
            if (!data.isEmpty()) {
                b.startVector(1, data.length(), 16);
                for (int j = data.length() - 1; j >= 0; j--) {
                    b.addByte(data.get(j));
                }
                dataOffset = b.endVector();
            }
            b.startTable(3);
            if (dataOffset != 0) {
                b.addOffset(0, dataOffset, 0);
            }
            buffers[i] = b.endTable();
        }
        int buffersVector = tableVector(b, buffers);

        int[] subgraphs = new int[model.subgraphs().size()];
        for (int i = 0; i < subgraphs.length; i++) {
            subgraphs[i] = writeSubgraph(b, model.subgraphs().get(i));
        }
        int subgraphsVector = tableVector(b, subgraphs);

        int[] codes = new int[model.operatorCodes().size()];
        for (int i = 0; i < codes.length; i++) {
            OperatorCode code = model.operatorCodes().get(i);
            int custom = code.customCode() == null ? 0 : b.createString(code.customCode());
            b.startTable(4);
            b.addInt(3, code.rawCode(), 0);
            b.addInt(2, code.version(), 1);
            if (custom != 0) {
                b.addOffset(1, custom, 0);
            }
            int deprecated = Math.min(code.rawCode(), BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES.code());
            b.addByte(0, (byte) deprecated, 0);
            codes[i] = b.endTable();
        }
        int codesVector = tableVector(b, codes);

        int[] metadata = new int[model.metadata().size()];
        for (int i = 0; i < metadata.length; i++) {
            MetadataEntry entry = model.metadata().get(i);
            int name = b.createString(entry.name());
            b.startTable(2);
            b.addOffset(0, name, 0);
            b.addInt(1, entry.buffer(), 0);
            metadata[i] = b.endTable();
        }
        int metadataVector = metadata.length == 0 ? 0 : tableVector(b, metadata);
        int description = model.description().isEmpty() ? 0 : b.createString(model.description());

        b.startTable(8);
        b.addInt(0, model.version(), 0);
        b.addOffset(1, codesVector, 0);
        b.addOffset(2, subgraphsVector, 0);
        if (description != 0) {
            b.addOffset(3, description, 0);
        }
        b.addOffset(4, buffersVector, 0);
        if (metadataVector != 0) {
            b.addOffset(6, metadataVector, 0);
        }
        int root = b.endTable();
        b.finish(root, "TFL3");
        return b.sizedByteArray();
    }

    private static int writeSubgraph(FlatBufferBuilder b, Subgraph sg) {
        List<Tensor> tensors = sg.tensors();
        int[] tensorOffsets = new int[tensors.size()];
        for (int i = 0; i < tensorOffsets.length; i++) {
            tensorOffsets[i] = writeTensor(b, tensors.get(i));
        }
        int tensorsVector = tableVector(b, tensorOffsets);
        int inputs = intVector(b, sg.inputs());
        int outputs = intVector(b, sg.outputs());
        int[] ops = new int[sg.operators().size()];
        for (int i = 0; i < ops.length; i++) {
            Operator op = sg.operators().get(i);
            int opInputs = intVector(b, op.inputs());
            int opOutputs = intVector(b, op.outputs());
            int options = op.options().unionType() == 0 ? 0 : OptionsCodec.write(b, op.options());
            b.startTable(5);
            b.addInt(0, op.opcodeIndex(), 0);
            b.addOffset(1, opInputs, 0);
            b.addOffset(2, opOutputs, 0);
            if (options != 0) {
                b.addOffset(4, options, 0);
                b.addByte(3, (byte) op.options().unionType(), 0);
            }
            ops[i] = b.endTable();
        }
        int opsVector = tableVector(b, ops);
        int name = sg.name().isEmpty() ? 0 : b.createString(sg.name());
        b.startTable(5);
        b.addOffset(0, tensorsVector, 0);
        b.addOffset(1, inputs, 0);
        b.addOffset(2, outputs, 0);
        b.addOffset(3, opsVector, 0);
        if (name != 0) {
            b.addOffset(4, name, 0);
        }
        return b.endTable();
    }

    private static int writeTensor(FlatBufferBuilder b, Tensor t) {
        int shape = intVector(b, t.shape());
        int name = t.name().isEmpty() ? 0 : b.createString(t.name());
        int quant = 0;
        Quantization q = t.quantization();
        if (q.isQuantized() || q.min().length > 0) {
            int min = q.min().length == 0 ? 0 : floatVector(b, q.min());
            int max = q.max().length == 0 ? 0 : floatVector(b, q.max());
            int scale = floatVector(b, q.scales());
            long[] zps = q.zeroPoints();
            b.startVector(8, zps.length, 8);
            for (int i = zps.length - 1; i >= 0; i--) {
                b.addLong(zps[i]);
            }
            int zp = b.endVector();
            b.startTable(7);
            if (min != 0) {
                b.addOffset(0, min, 0);
            }
            if (max != 0) {
                b.addOffset(1, max, 0);
            }
            b.addOffset(2, scale, 0);
            b.addOffset(3, zp, 0);
            b.addInt(6, q.quantizedDimension(), 0);
            quant = b.endTable();
        }
        b.startTable(6);
        b.addOffset(0, shape, 0);
        b.addInt(2, t.buffer(), 0);
        if (name != 0) {
            b.addOffset(3, name, 0);
        }
        if (quant != 0) {
            b.addOffset(4, quant, 0);
        }
        b.addByte(1, (byte) t.type().code(), 0);
        b.addBoolean(5, t.isVariable(), false);
        return b.endTable();
    }

    static int intVector(FlatBufferBuilder b, int[] values) {
        b.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) {
            b.addInt(values[i]);
        }
        return b.endVector();
    }

    private static int floatVector(FlatBufferBuilder b, float[] values) {
        b.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) {
            b.addFloat(values[i]);
        }
        return b.endVector();
    }

    private static int tableVector(FlatBufferBuilder b, int[] offsets) {
        b.startVector(4, offsets.length, 4);
        for (int i = offsets.length - 1; i >= 0; i--) {
            b.addOffset(offsets[i]);
        }
        return b.endVector();
    }
}
