package dev.mote.codegen.internal;

import dev.mote.codegen.CodegenException;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.internal.memory.GreedyMemoryPlanner;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a prepared {@link MicroInterpreter} into one C program: runs every operator's {@link OpEmitter}, places
 * each activation (model inputs and outputs in the caller's buffers, constants as {@code static const} arrays, the
 * rest in one arena planned with Mote's greedy planner, sharing memory where an op is a view or runs in place) and
 * writes the header and source text.
 */
public final class ProgramBuilder {
    /** Every arena buffer is a multiple of this, so every offset is aligned for int32 and float access. */
    static final int ALIGN = 4;

    private final String name;
    private final MicroInterpreter interpreter;
    private final Subgraph subgraph;
    private final int tensorCount;
    /** Union-find parent of each tensor: tensors of one group share their bytes. */
    private final int[] parent;
    /** Where each group root lives. */
    private final Place[] place;
    private final long[] ioOffset;
    /** The last operator that reads each tensor (-1: none). */
    private final int[] lastReader;
    private final int[] producer;
    private final Set<String> libraries = new LinkedHashSet<>();
    private final List<String> body = new ArrayList<>();
    private final StringBuilder constants = new StringBuilder();
    private final Set<Integer> emittedConstants = new LinkedHashSet<>();
    private final List<Scratch> scratches = new ArrayList<>();
    private final Map<String, Integer> constNames = new LinkedHashMap<>();
    private final long inputBytes;
    private final long outputBytes;
    /** Byte offset of each model output (by position in the subgraph's outputs) in the caller's output buffer. */
    private final long[] outputOffsets;
    private final boolean[] modelOutput;

    private enum Place { ARENA, INPUT, OUTPUT, CONSTANT }

    private record Scratch(int operator, String what, long bytes) {
    }

    /** The program's text and figures. */
    public record Program(String header, String source, long arenaBytes, long inputBytes, long outputBytes) {
    }

    public ProgramBuilder(String name, MicroInterpreter interpreter) {
        this.name = name;
        this.interpreter = interpreter;
        this.subgraph = interpreter.model().mainSubgraph();
        this.tensorCount = interpreter.tensorCount();
        this.parent = new int[tensorCount];
        this.place = new Place[tensorCount];
        this.ioOffset = new long[tensorCount];
        this.lastReader = new int[tensorCount];
        this.producer = new int[tensorCount];
        Arrays.fill(lastReader, -1);
        Arrays.fill(producer, -1);
        for (int t = 0; t < tensorCount; t++) {
            parent[t] = t;
            place[t] = interpreter.tensor(t).isConstant() ? Place.CONSTANT : Place.ARENA;
        }
        List<Operator> ops = subgraph.operators();
        for (int o = 0; o < ops.size(); o++) {
            for (int in : ops.get(o).inputs()) {
                if (in >= 0) {
                    lastReader[in] = o;
                }
            }
            for (int out : ops.get(o).outputs()) {
                if (out >= 0) {
                    producer[out] = o;
                }
            }
        }
        long off = 0;
        for (int in : subgraph.inputs()) {
            place[in] = Place.INPUT;
            ioOffset[in] = off;
            off += interpreter.tensor(in).byteSize();
        }
        inputBytes = off;
        off = 0;
        outputOffsets = new long[subgraph.outputs().length];
        modelOutput = new boolean[tensorCount];
        for (int k = 0; k < outputOffsets.length; k++) {
            int out = subgraph.outputs()[k];
            outputOffsets[k] = off;
            modelOutput[out] = true;
            if (place[out] == Place.ARENA) {
                place[out] = Place.OUTPUT;
                ioOffset[out] = off;
            }
            off += interpreter.tensor(out).byteSize();
        }
        outputBytes = off;
    }

    MicroTensor tensor(int index) {
        return interpreter.tensor(index);
    }

    /** Emits every operator with its emitter from {@link Emitters}. */
    public Program build() {
        List<Operator> ops = subgraph.operators();
        for (int o = 0; o < ops.size(); o++) {
            Operator op = ops.get(o);
            BuiltinOperator builtin = interpreter.model().operatorCodes().get(op.opcodeIndex()).builtin();
            OpEmitter emitter = Emitters.of(builtin);
            EmitContext context = new EmitContext(this, o, builtin, interpreter.kernel(o), op.inputs(), op.outputs());
            if (emitter == null && Emitters.notEmittedYet().contains(builtin)) {
                throw context.unsupported(builtin + " yet");
            }
            if (emitter == null) {
                throw context.unsupported("this operator (emitted: " + Emitters.supported() + ")");
            }
            if (op.inputs().length > 0 && context.inputTensor(0) != null && Emitters.notEmittedTypes()
                    .getOrDefault(builtin, Set.of()).contains(context.inputTensor(0).type())) {
                throw context.unsupported(context.inputTensor(0).type() + " " + builtin + " yet");
            }
            body.add("    /* " + o + ": " + builtin + " */");
            emitter.emit(context);
        }
        return write();
    }

    // ---- what emitters call ----

    private int root(int t) {
        while (parent[t] != t) {
            parent[t] = parent[parent[t]];
            t = parent[t];
        }
        return t;
    }

    String reference(int tensor) {
        if (place[root(tensor)] == Place.CONSTANT) {
            return constant(root(tensor));
        }
        return "MOTE_T" + tensor;
    }

    String scratch(int operator, String what, long bytes) {
        scratches.add(new Scratch(operator, what, bytes));
        return "MOTE_S" + (scratches.size() - 1);
    }

    void alias(int operator, int output, int input) {
        int a = root(output);
        int b = root(input);
        if (a == b) {
            return;
        }
        if (canJoin(a, b)) {
            join(a, b);
            return;
        }
        long bytes = interpreter.tensor(output).byteSize();
        statement("    memcpy(" + reference(output) + ", " + reference(input) + ", " + bytes + ");");
    }

    boolean inPlace(int operator, int output, int input) {
        int a = root(output);
        int b = root(input);
        if (a == b || place[b] != Place.ARENA || interpreter.tensor(output).byteSize()
                != interpreter.tensor(input).byteSize()) {
            return false;
        }
        for (int t = 0; t < tensorCount; t++) {
            if (root(t) == b && (lastReader[t] > operator || modelOutput[t])) {
                return false;
            }
        }
        if (!canJoin(a, b)) {
            return false;
        }
        join(a, b);
        return true;
    }

    private boolean canJoin(int a, int b) {
        return place[a] == Place.ARENA || place[b] == Place.ARENA;
    }

    private void join(int a, int b) {
        Place p = place[a] != Place.ARENA ? place[a] : place[b];
        long off = place[a] != Place.ARENA ? ioOffset[a] : ioOffset[b];
        parent[a] = b;
        place[b] = p;
        ioOffset[b] = off;
    }

    void use(String library) {
        libraries.add(library);
    }

    void statement(String c) {
        body.add(c.startsWith("    ") ? c : "    " + c);
    }

    String constInts(int operator, String what, int[] values) {
        return constArray(operator, what, "int32_t", Arrays.stream(values).asLongStream().toArray());
    }

    String constBytes(int operator, String what, byte[] values) {
        long[] v = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            v[i] = values[i];
        }
        return constArray(operator, what, "int8_t", v);
    }

    /** A {@code static const ctype} array of at least one element (C has no empty arrays); returns its name. */
    private String constArray(int operator, String what, String ctype, long[] values) {
        String n = uniqueName("op" + operator + "_" + what);
        long[] v = values.length == 0 ? new long[] {0} : values;
        constants.append("static const ").append(ctype).append(' ').append(n).append('[').append(v.length)
                .append("] = {");
        appendValues(constants, v);
        constants.append("};\n");
        return n;
    }

    String constFloats(int operator, String what, float[] values) {
        String n = uniqueName("op" + operator + "_" + what);
        long[] v = new long[Math.max(1, values.length)];
        for (int i = 0; i < values.length; i++) {
            v[i] = Float.floatToRawIntBits(values[i]) & 0xFFFFFFFFL;
        }
        constants.append("static const union { uint32_t bits[").append(v.length).append("]; float f[")
                .append(v.length).append("]; } ").append(n).append(" = {{");
        appendValues(constants, v);
        constants.append("}};\n");
        return n + ".f";
    }

    private String uniqueName(String base) {
        String n = base.replaceAll("[^A-Za-z0-9_]", "_");
        int k = constNames.merge(n, 1, Integer::sum);
        return k == 1 ? n : n + "_" + k;
    }

    /** The name of the {@code static const} array holding constant tensor {@code t} (emitted on first use). */
    private String constant(int t) {
        MicroTensor tensor = interpreter.tensor(t);
        String n = "c" + t;
        if (emittedConstants.add(t)) {
            String ctype = CTypes.of(tensor.type());
            if (ctype == null) {
                throw new CodegenException("constant tensor " + t + " ('" + tensor.name() + "') has type "
                        + tensor.type() + ", which the C code generator has no C type for");
            }
            ByteBuffer b = tensor.asReadOnlyBuffer();
            int count = tensor.elementCount();
            long[] v = new long[Math.max(1, count)];
            boolean isFloat = tensor.type() == TensorType.FLOAT32;
            for (int i = 0; i < count; i++) {
                v[i] = switch (tensor.type()) {
                    case INT8 -> b.get(i);
                    case UINT8, BOOL -> b.get(i) & 0xFF;
                    case INT16 -> b.getShort(2 * i);
                    case UINT16 -> b.getShort(2 * i) & 0xFFFF;
                    case INT32 -> b.getInt(4 * i);
                    case UINT32, FLOAT32 -> b.getInt(4 * i) & 0xFFFFFFFFL;
                    default -> b.getLong(8 * i);
                };
            }
            constants.append("/* tensor ").append(t).append(" '").append(comment(tensor.name())).append("' ")
                    .append(tensor.type().name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(Arrays.toString(tensor.shape())).append(" */\n");
            if (isFloat) {
                // the float bits as integers, read through a union: exact for every value, NaN and infinity included
                constants.append("static const union { uint32_t bits[").append(v.length).append("]; float f[")
                        .append(v.length).append("]; } ").append(n).append("_u = {{");
                appendValues(constants, v);
                constants.append("}};\n#define ").append(n).append(" (").append(n).append("_u.f)\n");
            } else {
                constants.append("static const ").append(ctype).append(' ').append(n).append('[').append(v.length)
                        .append("] = {");
                if (tensor.type() == TensorType.INT64 || tensor.type() == TensorType.UINT64) {
                    appendLongValues(constants, v, tensor.type() == TensorType.UINT64);
                } else {
                    appendValues(constants, v);
                }
                constants.append("};\n");
            }
        }
        return n;
    }

    private static String comment(String s) {
        return s.replace("*/", "* /").replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void appendValues(StringBuilder out, long[] v) {
        for (int i = 0; i < v.length; i++) {
            if (i % 16 == 0) {
                out.append("\n    ");
            }
            out.append(v[i] == Integer.MIN_VALUE ? "(-2147483647 - 1)" : v[i] > Integer.MAX_VALUE
                    ? v[i] + "u" : Long.toString(v[i]));
            if (i + 1 < v.length) {
                out.append(',');
            }
        }
        out.append('\n');
    }

    private static void appendLongValues(StringBuilder out, long[] v, boolean unsigned) {
        for (int i = 0; i < v.length; i++) {
            if (i % 8 == 0) {
                out.append("\n    ");
            }
            out.append(unsigned ? "(uint64_t)" + Long.toUnsignedString(v[i]) + "u"
                    : v[i] == Long.MIN_VALUE ? "(-9223372036854775807LL - 1)" : v[i] + "LL");
            if (i + 1 < v.length) {
                out.append(',');
            }
        }
        out.append('\n');
    }

    // ---- layout and text ----

    private Program write() {
        int ops = subgraph.operators().size();
        // model outputs that are not their own group's storage (a model input or constant passed through, or a
        // second output sharing a buffer) are copied at the end
        List<String> tail = new ArrayList<>();
        for (int k = 0; k < outputOffsets.length; k++) {
            int out = subgraph.outputs()[k];
            int r = root(out);
            if (!(place[r] == Place.OUTPUT && ioOffset[r] == outputOffsets[k])) {
                tail.add("    memcpy(out_bytes + " + outputOffsets[k] + ", " + reference(out) + ", "
                        + interpreter.tensor(out).byteSize() + ");");
            }
        }
        // arena groups: size and lifetime
        GreedyMemoryPlanner planner = new GreedyMemoryPlanner();
        Map<Integer, Integer> groupBuffer = new LinkedHashMap<>();
        long[] groupBytes = new long[tensorCount];
        int[] first = new int[tensorCount];
        int[] last = new int[tensorCount];
        Arrays.fill(first, Integer.MAX_VALUE);
        Arrays.fill(last, -1);
        boolean[] used = new boolean[tensorCount]; // read or written by an operator
        for (int t = 0; t < tensorCount; t++) {
            used[t] = producer[t] >= 0 || lastReader[t] >= 0;
        }
        for (int t = 0; t < tensorCount; t++) {
            int r = root(t);
            if (place[r] != Place.ARENA || !used[t]) {
                continue;
            }
            groupBytes[r] = Math.max(groupBytes[r], interpreter.tensor(t).byteSize());
            int from = producer[t] >= 0 ? producer[t] : 0;
            int to = Math.max(lastReader[t], from);
            if (modelOutput[t]) {
                to = ops; // copied out after the last operator
            }
            first[r] = Math.min(first[r], from);
            last[r] = Math.max(last[r], to);
        }
        for (int r = 0; r < tensorCount; r++) {
            if (last[r] >= 0 && root(r) == r && place[r] == Place.ARENA) {
                groupBuffer.put(r, planner.bufferCount());
                planner.addBuffer(checkedSize(groupBytes[r], "tensor " + r), first[r], last[r]);
            }
        }
        int[] scratchBuffer = new int[scratches.size()];
        for (int s = 0; s < scratches.size(); s++) {
            Scratch sc = scratches.get(s);
            scratchBuffer[s] = planner.bufferCount();
            planner.addBuffer(checkedSize(sc.bytes(), "scratch '" + sc.what() + "' of operator " + sc.operator()),
                    sc.operator(), sc.operator());
        }
        long arenaBytes = planner.bufferCount() == 0 ? 0 : planner.maximumMemorySize();

        StringBuilder macros = new StringBuilder();
        for (int t = 0; t < tensorCount; t++) {
            int r = root(t);
            if (!used[t] && !modelOutput[t]) {
                continue;
            }
            switch (place[r]) {
                case INPUT -> macros.append("#define MOTE_T").append(t).append(" (in_bytes + ").append(ioOffset[r])
                        .append(")\n");
                case OUTPUT -> macros.append("#define MOTE_T").append(t).append(" (out_bytes + ")
                        .append(ioOffset[r]).append(")\n");
                case ARENA -> {
                    Integer b = groupBuffer.get(r);
                    macros.append("#define MOTE_T").append(t).append(" (arena + ")
                            .append(b == null ? 0 : planner.offset(b)).append(")\n");
                }
                case CONSTANT -> {
                }
            }
        }
        for (int s = 0; s < scratches.size(); s++) {
            macros.append("#define MOTE_S").append(s).append(" (arena + ").append(planner.offset(scratchBuffer[s]))
                    .append(")  /* ").append(comment(scratches.get(s).what())).append(" */\n");
        }
        String upper = name.toUpperCase(Locale.ROOT);
        StringBuilder h = new StringBuilder();
        h.append("/* ").append(name).append(".h: generated by Mote's C code generator from a TFLite model.\n")
                .append(" * Plain C99: include it and call ").append(name).append("_invoke; nothing else is needed.\n")
                .append(" * input and output point to the raw bytes of all inputs / all outputs, in order, each\n")
                .append(" * tensor at its offset below; both must be aligned to 4 bytes. */\n")
                .append("#ifndef ").append(upper).append("_H\n#define ").append(upper).append("_H\n\n")
                .append("#include <stdint.h>\n\n")
                .append("#define ").append(upper).append("_INPUT_BYTES  ").append(inputBytes).append("u\n")
                .append("#define ").append(upper).append("_OUTPUT_BYTES ").append(outputBytes).append("u\n")
                .append("#define ").append(upper).append("_ARENA_BYTES  ").append(arenaBytes)
                .append("u  /* the static working memory of ").append(name).append("_invoke */\n\n");
        describeIo(h, upper, "INPUT", subgraph.inputs());
        describeIo(h, upper, "OUTPUT", subgraph.outputs());
        h.append("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n")
                .append("/* Runs the model once: reads ").append(upper).append("_INPUT_BYTES from input, writes ")
                .append(upper).append("_OUTPUT_BYTES to output.\n * Returns 0 on success, 1 if a pointer is NULL, 2 where TFLM stops on a failed check. ")
                .append("Not reentrant: one static arena. */\n")
                .append("int ").append(name).append("_invoke(const void *input, void *output);\n\n")
                .append("#ifdef __cplusplus\n}\n#endif\n\n#endif\n");

        StringBuilder c = new StringBuilder();
        c.append("/* ").append(name).append(".c: generated by Mote's C code generator from a TFLite model (")
                .append(ops).append(" operators).\n * Computes what TFLM's reference kernels compute, bit for bit. ")
                .append("C99; needs <stdint.h> and <string.h> only. */\n")
                .append("#include <stdint.h>\n#include <string.h>\n#include \"").append(name).append(".h\"\n\n")
                .append(KernelLibrary.source(libraries))
                .append("/* ---- constants (flash) ---- */\n").append(constants).append('\n')
                .append("/* ---- the arena: every activation and scratch buffer, planned by Mote ---- */\n")
                .append("static int32_t ").append(name).append("_arena[").append(Math.max(1, (arenaBytes + 3) / 4))
                .append("];\n\n").append(macros).append('\n')
                .append("int ").append(name).append("_invoke(const void *input, void *output) {\n")
                .append("    const uint8_t *in_bytes = (const uint8_t *)input;\n")
                .append("    uint8_t *out_bytes = (uint8_t *)output;\n")
                .append("    uint8_t *arena = (uint8_t *)").append(name).append("_arena;\n")
                .append("    if (input == 0 || output == 0) {\n        return 1;\n    }\n")
                .append("    (void)in_bytes;\n    (void)out_bytes;\n    (void)arena;\n");
        for (String line : body) {
            c.append(line).append('\n');
        }
        for (String line : tail) {
            c.append(line).append('\n');
        }
        c.append("    return 0;\n}\n");
        return new Program(h.toString(), c.toString(), arenaBytes, inputBytes, outputBytes);
    }

    private void describeIo(StringBuilder h, String upper, String kind, int[] tensors) {
        long off = 0;
        for (int i = 0; i < tensors.length; i++) {
            MicroTensor t = interpreter.tensor(tensors[i]);
            String p = upper + "_" + kind + i;
            h.append("/* ").append(kind.toLowerCase(Locale.ROOT)).append(' ').append(i).append(": '")
                    .append(comment(t.name())).append("' ").append(t.type().name().toLowerCase(Locale.ROOT))
                    .append(' ').append(Arrays.toString(t.shape()));
            if (t.quantization().isQuantized()) {
                h.append(", scale ").append(t.scale()).append(", zero point ").append(t.zeroPoint());
            }
            h.append(" */\n#define ").append(p).append("_OFFSET ").append(off).append("u\n#define ").append(p)
                    .append("_BYTES  ").append(t.byteSize()).append("u\n");
            off += t.byteSize();
        }
    }

    private static int checkedSize(long bytes, String what) {
        long aligned = (bytes + ALIGN - 1) / ALIGN * ALIGN;
        if (aligned > Integer.MAX_VALUE) {
            throw new CodegenException(what + " needs " + bytes + " bytes, more than a 32-bit arena can hold");
        }
        return (int) aligned;
    }
}
