package dev.mote.runtime.fuzz;

import dev.mote.vocabulary.MoteException;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.DataBuffer;
import dev.mote.runtime.format.MetadataEntry;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.ModelWriter;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.internal.kernels.BuiltinKernels;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Structure-aware mutations of TFLite models: decodes a seed with the reader, changes what a hostile or broken file
 * could change (shapes, types, buffer indices and contents, quantization, operator codes, tensor wiring, options
 * fields, operator order, subgraph inputs and outputs), writes it back, and sometimes adds byte-level damage (bit
 * flips, interesting words, truncation, splices with another seed). Every decision comes from {@link Choices}.
 */
public final class ModelMutator {
    private static final int[] INTERESTING_INTS = {0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64, 127, 128,
            255, 256, 1000, 4096, 65535, 65536, 1 << 20, 1 << 24, 1 << 28, 1 << 30, Integer.MAX_VALUE,
            Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1, -2, -128, -129, -32768, 46341};
    private static final float[] INTERESTING_FLOATS = {0f, -0f, 1f, -1f, 0.5f, 1f / 256, 1f / 128, 1e-10f, 1e10f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MIN_NORMAL,
            Float.MAX_VALUE, 1e-38f, 3e38f, 65536f, 2f};
    private static final long[] INTERESTING_LONGS = {0, 1, -1, 127, -128, 128, -129, 255, 256, 32767, -32768,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final BuiltinOperator[] IMPLEMENTED = BuiltinKernels.all().keySet().toArray(new BuiltinOperator[0]);
    private static final BuiltinOperator[] ALL_OPS = BuiltinOperator.values();

    private ModelMutator() {
    }

    /** A mutant of {@code seed}; {@code others} are splice partners. */
    public static byte[] mutate(byte[] seed, List<byte[]> others, Choices c) {
        byte[] out = seed;
        boolean structural = c.below(4) != 0;
        if (structural) {
            Model model;
            try {
                model = ModelReader.readUnvalidated(seed);
            } catch (MoteException e) {
                model = null;
            }
            if (model != null && !model.subgraphs().isEmpty()) {
                int rounds = 1 + c.below(4);
                for (int r = 0; r < rounds; r++) {
                    model = mutate(model, c);
                }
                try {
                    out = ModelWriter.write(model);
                } catch (RuntimeException e) {
                    out = seed; // the writer cannot encode this one (not part of the input contract)
                }
            }
        }
        if (!structural || c.below(4) == 0) {
            out = mutateBytes(out, others, c);
        }
        return out;
    }

    // ---- structure-aware --------------------------------------------------------------------------------------

    static Model mutate(Model m, Choices c) {
        Subgraph sg = m.mainSubgraph();
        List<Tensor> tensors = new ArrayList<>(sg.tensors());
        List<Operator> ops = new ArrayList<>(sg.operators());
        List<OperatorCode> codes = new ArrayList<>(m.operatorCodes());
        List<DataBuffer> buffers = new ArrayList<>(m.buffers());
        List<MetadataEntry> metadata = new ArrayList<>(m.metadata());
        int[] inputs = sg.inputs();
        int[] outputs = sg.outputs();
        int version = m.version();
        List<Subgraph> extraSubgraphs = new ArrayList<>(m.subgraphs().subList(1, m.subgraphs().size()));
        switch (c.below(16)) {
            case 0, 1, 2 -> {
                if (!tensors.isEmpty()) {
                    int t = c.below(tensors.size());
                    tensors.set(t, mutateTensor(tensors.get(t), buffers.size(), c));
                }
            }
            case 3, 4 -> {
                if (!ops.isEmpty()) {
                    int o = c.below(ops.size());
                    ops.set(o, mutateOperatorWiring(ops.get(o), tensors.size(), codes.size(), c));
                }
            }
            case 5, 6, 7 -> {
                if (!ops.isEmpty()) {
                    int o = c.below(ops.size());
                    Operator op = ops.get(o);
                    ops.set(o, new Operator(op.opcodeIndex(), op.inputs(), op.outputs(),
                            mutateOptions(op.options(), c)));
                }
            }
            case 8, 9 -> {
                if (!codes.isEmpty()) {
                    int k = c.below(codes.size());
                    codes.set(k, mutateCode(codes.get(k), c));
                }
            }
            case 10, 11 -> {
                if (buffers.size() > 1) {
                    int k = 1 + c.below(buffers.size() - 1);
                    buffers.set(k, DataBuffer.of(mutateData(buffers.get(k).toByteArray(), c)));
                }
            }
            case 12 -> mutateOrder(ops, c);
            case 13 -> {
                if (c.bool()) {
                    inputs = mutateIndexList(inputs, tensors.size(), c);
                } else {
                    outputs = mutateIndexList(outputs, tensors.size(), c);
                }
            }
            case 14 -> {
                switch (c.below(4)) {
                    case 0 -> version = interestingInt(c, version);
                    case 1 -> extraSubgraphs.add(sg);
                    case 2 -> {
                        if (!metadata.isEmpty()) {
                            int k = c.below(metadata.size());
                            metadata.set(k, new MetadataEntry(metadata.get(k).name(),
                                    interestingInt(c, metadata.get(k).buffer())));
                        }
                    }
                    default -> {
                        if (!buffers.isEmpty()) {
                            buffers.remove(buffers.size() - 1);
                        }
                    }
                }
            }
            default -> {
                // a new tensor wired into an operator: shapes and types no converter would write
                TensorType type = TensorType.values()[c.below(TensorType.values().length)];
                tensors.add(new Tensor(randomShape(c), type, c.bool() ? 0 : c.below(buffers.size() + 1), "fuzz",
                        randomQuantization(c), c.below(8) == 0));
                if (!ops.isEmpty()) {
                    int o = c.below(ops.size());
                    Operator op = ops.get(o);
                    int[] in = op.inputs();
                    int[] out = op.outputs();
                    if (c.bool() && in.length > 0) {
                        in[c.below(in.length)] = tensors.size() - 1;
                    } else if (out.length > 0) {
                        out[c.below(out.length)] = tensors.size() - 1;
                    }
                    ops.set(o, new Operator(op.opcodeIndex(), in, out, op.options()));
                }
            }
        }
        List<Subgraph> subgraphs = new ArrayList<>();
        subgraphs.add(new Subgraph(tensors, inputs, outputs, ops, sg.name()));
        subgraphs.addAll(extraSubgraphs);
        return new Model(version, codes, subgraphs, m.description(), buffers, metadata);
    }

    private static Tensor mutateTensor(Tensor t, int bufferCount, Choices c) {
        int[] shape = t.shape();
        TensorType type = t.type();
        int buffer = t.buffer();
        Quantization q = t.quantization();
        boolean variable = t.isVariable();
        switch (c.below(7)) {
            case 0, 1 -> {
                if (shape.length > 0) {
                    int d = c.below(shape.length);
                    shape[d] = c.below(3) == 0 ? interestingInt(c, shape[d]) : shape[d] + c.below(5) - 2;
                } else {
                    shape = new int[] {c.below(8)};
                }
            }
            case 2 -> shape = c.bool() && shape.length > 0 ? Arrays.copyOf(shape, shape.length - 1)
                    : insert(shape, c.below(shape.length + 1), c.below(3) == 0 ? interestingInt(c, 1) : 1 + c.below(4));
            case 3 -> type = TensorType.values()[c.below(TensorType.values().length)];
            case 4 -> buffer = c.below(3) == 0 ? interestingInt(c, buffer) : c.below(bufferCount + 2) - 1;
            case 5 -> q = c.below(3) == 0 ? randomQuantization(c) : tweakQuantization(q, shape.length, c);
            default -> variable = !variable;
        }
        return new Tensor(shape, type, buffer, t.name(), q, variable);
    }

    private static int[] insert(int[] a, int at, int value) {
        int[] out = new int[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }

    private static int[] randomShape(Choices c) {
        int[] shape = new int[c.below(6)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = c.below(6) == 0 ? interestingInt(c, 1) : c.below(9);
        }
        return shape;
    }

    private static Quantization randomQuantization(Choices c) {
        int n = c.below(4);
        float[] scales = new float[n];
        long[] zps = new long[c.below(3) == 0 ? c.below(4) : n];
        for (int i = 0; i < n; i++) {
            scales[i] = c.bool() ? INTERESTING_FLOATS[c.below(INTERESTING_FLOATS.length)] : 0.001f * (1 + c.below(100));
        }
        for (int i = 0; i < zps.length; i++) {
            zps[i] = c.bool() ? INTERESTING_LONGS[c.below(INTERESTING_LONGS.length)] : c.below(256) - 128;
        }
        return Quantization.perChannel(scales, zps, c.below(3) == 0 ? interestingInt(c, 0) : c.below(5));
    }

    private static Quantization tweakQuantization(Quantization q, int rank, Choices c) {
        float[] scales = q.scales();
        long[] zps = q.zeroPoints();
        int axis = q.quantizedDimension();
        switch (c.below(4)) {
            case 0 -> {
                if (scales.length > 0) {
                    scales[c.below(scales.length)] = INTERESTING_FLOATS[c.below(INTERESTING_FLOATS.length)];
                }
            }
            case 1 -> {
                if (zps.length > 0) {
                    zps[c.below(zps.length)] = c.bool() ? INTERESTING_LONGS[c.below(INTERESTING_LONGS.length)]
                            : zps[0] + c.below(5) - 2;
                }
            }
            case 2 -> axis = c.bool() ? c.below(rank + 1) : interestingInt(c, axis);
            default -> {
                int n = c.below(6);
                scales = Arrays.copyOf(scales, n);
                zps = Arrays.copyOf(zps, c.bool() ? n : c.below(6));
                for (int i = 0; i < n; i++) {
                    scales[i] = scales[i] == 0f ? 0.01f : scales[i];
                }
            }
        }
        return new Quantization(scales, zps, axis, q.min(), q.max());
    }

    private static Operator mutateOperatorWiring(Operator op, int tensorCount, int codeCount, Choices c) {
        int[] in = op.inputs();
        int[] out = op.outputs();
        int opcode = op.opcodeIndex();
        switch (c.below(5)) {
            case 0 -> in = mutateIndexList(in, tensorCount, c);
            case 1 -> out = mutateIndexList(out, tensorCount, c);
            case 2 -> opcode = c.below(4) == 0 ? interestingInt(c, opcode) : c.below(codeCount + 1);
            case 3 -> {
                int[] t = in;
                in = out;
                out = t;
            }
            default -> {
                if (in.length > 0) {
                    in[c.below(in.length)] = -1; // an omitted optional input
                }
            }
        }
        return new Operator(opcode, in, out, op.options());
    }

    private static int[] mutateIndexList(int[] list, int tensorCount, Choices c) {
        int pick = c.below(4);
        if (pick == 0 || list.length == 0) {
            return insert(list, c.below(list.length + 1), c.below(tensorCount + 2) - 1);
        }
        if (pick == 1) {
            int at = c.below(list.length);
            int[] out = new int[list.length - 1];
            System.arraycopy(list, 0, out, 0, at);
            System.arraycopy(list, at + 1, out, at, list.length - at - 1);
            return out;
        }
        int[] out = list.clone();
        out[c.below(out.length)] = pick == 2 ? c.below(tensorCount + 2) - 1 : interestingInt(c, 0);
        return out;
    }

    private static OperatorCode mutateCode(OperatorCode code, Choices c) {
        switch (c.below(4)) {
            case 0, 1 -> {
                BuiltinOperator op = IMPLEMENTED.length > 0 && c.below(3) != 0 ? IMPLEMENTED[c.below(IMPLEMENTED.length)]
                        : ALL_OPS[c.below(ALL_OPS.length)];
                return new OperatorCode(op, op.code(), code.customCode(), code.version());
            }
            case 2 -> {
                int raw = c.bool() ? interestingInt(c, code.rawCode()) : c.below(220) - 10;
                return new OperatorCode(BuiltinOperator.fromCode(raw), raw, code.customCode(), code.version());
            }
            default -> {
                return new OperatorCode(code.builtin(), code.rawCode(), code.customCode(),
                        c.bool() ? interestingInt(c, code.version()) : c.below(8));
            }
        }
    }

    private static void mutateOrder(List<Operator> ops, Choices c) {
        if (ops.isEmpty()) {
            return;
        }
        int a = c.below(ops.size());
        switch (c.below(3)) {
            case 0 -> {
                int b = c.below(ops.size());
                Operator t = ops.get(a);
                ops.set(a, ops.get(b));
                ops.set(b, t);
            }
            case 1 -> ops.remove(a);
            default -> ops.add(c.below(ops.size() + 1), ops.get(a));
        }
    }

    private static byte[] mutateData(byte[] data, Choices c) {
        switch (c.below(5)) {
            case 0 -> {
                return Arrays.copyOf(data, c.below(data.length + 1));
            }
            case 1 -> {
                return Arrays.copyOf(data, data.length + 1 + c.below(16));
            }
            case 2 -> {
                // an int32 word of a constant (shape, axis, perm, begin/end/strides, paddings, bias)
                byte[] out = data.clone();
                if (out.length >= 4) {
                    int at = 4 * c.below(out.length / 4);
                    int v = interestingInt(c, 0);
                    out[at] = (byte) v;
                    out[at + 1] = (byte) (v >> 8);
                    out[at + 2] = (byte) (v >> 16);
                    out[at + 3] = (byte) (v >> 24);
                }
                return out;
            }
            case 3 -> {
                byte[] out = data.clone();
                if (out.length > 0) {
                    out[c.below(out.length)] = (byte) c.below(256);
                }
                return out;
            }
            default -> {
                // small signed values everywhere: e.g. every word of an int32 shape tensor between -3 and 4
                byte[] out = new byte[data.length];
                for (int at = 0; at + 3 < out.length; at += 4) {
                    int v = c.below(8) - 3;
                    out[at] = (byte) v;
                    out[at + 1] = (byte) (v >> 8);
                    out[at + 2] = (byte) (v >> 16);
                    out[at + 3] = (byte) (v >> 24);
                }
                return out;
            }
        }
    }

    // ---- options ----------------------------------------------------------------------------------------------

    private static BuiltinOptions[] sampleOptions() {
        return new BuiltinOptions[] {
                new BuiltinOptions.Conv2D(Padding.SAME.code(), 1, 1, 0, 1, 1),
                new BuiltinOptions.DepthwiseConv2D(Padding.VALID.code(), 1, 1, 1, 0, 1, 1),
                new BuiltinOptions.Pool2D(Padding.VALID.code(), 2, 2, 2, 2, 0),
                new BuiltinOptions.FullyConnected(0, 0, false, false),
                new BuiltinOptions.Softmax(1f),
                new BuiltinOptions.Concatenation(0, 0),
                new BuiltinOptions.Add(0, false),
                new BuiltinOptions.Sub(0, false),
                new BuiltinOptions.Mul(0),
                new BuiltinOptions.Reshape(new int[] {-1}),
                new BuiltinOptions.Reshape(null),
                new BuiltinOptions.Reducer(true),
                new BuiltinOptions.Squeeze(new int[] {0}),
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false),
                new BuiltinOptions.LeakyRelu(0.1f),
                BuiltinOptions.NONE,
        };
    }

    static BuiltinOptions mutateOptions(BuiltinOptions o, Choices c) {
        if (c.below(5) == 0) {
            if (c.below(4) == 0) {
                return new BuiltinOptions.Empty(c.below(130));
            }
            BuiltinOptions[] samples = sampleOptions();
            return samples[c.below(samples.length)];
        }
        RecordComponent[] components = o.getClass().getRecordComponents();
        if (components == null || components.length == 0) {
            return o;
        }
        try {
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(o);
                types[i] = components[i].getType();
            }
            int k = c.below(components.length);
            values[k] = mutateValue(types[k], values[k], c);
            Constructor<?> ctor = o.getClass().getDeclaredConstructor(types);
            return (BuiltinOptions) ctor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object mutateValue(Class<?> type, Object value, Choices c) {
        if (type == int.class) {
            int v = (Integer) value;
            return c.below(3) == 0 ? c.below(10) - 2 : interestingInt(c, v);
        }
        if (type == boolean.class) {
            return !(Boolean) value;
        }
        if (type == float.class) {
            return INTERESTING_FLOATS[c.below(INTERESTING_FLOATS.length)];
        }
        if (type == int[].class) {
            int[] a = (int[]) value;
            if (a == null || c.below(4) == 0) {
                return c.bool() ? null : new int[c.below(4)];
            }
            return mutateIndexList(a, 6, c);
        }
        return value;
    }

    static int interestingInt(Choices c, int current) {
        return switch (c.below(4)) {
            case 0 -> current + c.below(5) - 2;
            case 1 -> c.anyInt();
            default -> INTERESTING_INTS[c.below(INTERESTING_INTS.length)];
        };
    }

    // ---- byte level -------------------------------------------------------------------------------------------

    static byte[] mutateBytes(byte[] original, List<byte[]> others, Choices c) {
        byte[] b = original.clone();
        if (b.length < 8) {
            return c.bytes(64);
        }
        int edits = 1 + c.below(4);
        switch (c.below(6)) {
            case 0 -> {
                for (int e = 0; e < edits; e++) {
                    b[c.below(b.length)] ^= (byte) (1 << c.below(8));
                }
            }
            case 1 -> {
                for (int e = 0; e < edits; e++) {
                    b[c.below(b.length)] = (byte) c.below(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, c.below(b.length));
            case 3 -> {
                int[] words = {0, -1, 1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 16, b.length, b.length - 4, 4, 8};
                for (int e = 0; e < edits; e++) {
                    int pos = c.below(b.length - 4) & ~3;
                    int v = c.bool() ? words[c.below(words.length)] : interestingInt(c, 0);
                    b[pos] = (byte) v;
                    b[pos + 1] = (byte) (v >> 8);
                    b[pos + 2] = (byte) (v >> 16);
                    b[pos + 3] = (byte) (v >> 24);
                }
            }
            case 4 -> {
                if (!others.isEmpty()) {
                    byte[] other = others.get(c.below(others.size()));
                    int cut = c.below(b.length);
                    int from = c.below(other.length);
                    byte[] spliced = Arrays.copyOf(b, cut + other.length - from);
                    System.arraycopy(other, from, spliced, cut, other.length - from);
                    b = spliced;
                }
            }
            default -> {
                // insert or delete a run of bytes (shifts every later offset)
                int at = c.below(b.length);
                int n = 1 + c.below(16);
                if (c.bool()) {
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at, out, at + n, b.length - at);
                    b = out;
                } else {
                    n = Math.min(n, b.length - at);
                    byte[] out = new byte[b.length - n];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + n, out, at, b.length - at - n);
                    b = out;
                }
            }
        }
        return b;
    }
}
