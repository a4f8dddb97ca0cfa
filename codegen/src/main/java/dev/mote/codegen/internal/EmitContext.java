package dev.mote.codegen.internal;

import dev.mote.codegen.UnsupportedByCodegenException;
import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What an {@link OpEmitter} sees of one operator: the prepared micro-runtime kernel (the one home of the op's
 * derived parameters: multipliers, shifts, ranges, geometry), the tensors, and the means to write C. Pointer
 * expressions ({@link #input}, {@link #output}, {@link #scratch}) are typed C expressions that
 * {@link ProgramBuilder} resolves once the arena is planned.
 */
public final class EmitContext {
    private final ProgramBuilder program;
    private final int index;
    private final BuiltinOperator op;
    private final Kernel kernel;
    private final int[] inputs;
    private final int[] outputs;

    EmitContext(ProgramBuilder program, int index, BuiltinOperator op, Kernel kernel, int[] inputs, int[] outputs) {
        this.program = program;
        this.index = index;
        this.op = op;
        this.kernel = kernel;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** The operator's index in execution order. */
    public int index() {
        return index;
    }

    public BuiltinOperator op() {
        return op;
    }

    /**
     * The prepared kernel as {@code type}.
     *
     * @throws UnsupportedByCodegenException if the op resolver made another kernel class for this operator
     */
    public <K extends Kernel> K kernel(Class<K> type) {
        if (!type.isInstance(kernel)) {
            throw unsupported("its kernel is " + kernel.getClass().getName() + ", the generator reads "
                    + type.getName());
        }
        return type.cast(kernel);
    }

    public int inputCount() {
        return inputs.length;
    }

    public int outputCount() {
        return outputs.length;
    }

    /** Input {@code i}'s tensor, or null if the model omits it. */
    public MicroTensor inputTensor(int i) {
        return inputs[i] < 0 ? null : program.tensor(inputs[i]);
    }

    public MicroTensor outputTensor(int i) {
        return program.tensor(outputs[i]);
    }

    /** The tensor index (in the subgraph) of input {@code i}, -1 if omitted. */
    public int inputIndex(int i) {
        return inputs[i];
    }

    public int outputIndex(int i) {
        return outputs[i];
    }

    /**
     * A {@code const T *} expression for input {@code i}'s bytes ({@code T} its element type); {@code ((const T *)0)}
     * if the model omits it. A constant input becomes a {@code static const} array of the generated file.
     */
    public String input(int i) {
        if (inputs[i] < 0) {
            return "((const int8_t *)0)";
        }
        MicroTensor t = program.tensor(inputs[i]);
        return "((const " + ctype(t) + " *)" + program.reference(inputs[i]) + ")";
    }

    /** Input {@code i} as {@code const ctype *}, for kernels that read another element type than the tensor's. */
    public String input(int i, String ctype) {
        if (inputs[i] < 0) {
            return "((const " + ctype + " *)0)";
        }
        return "((const " + ctype + " *)" + program.reference(inputs[i]) + ")";
    }

    /** A {@code T *} expression for output {@code i}'s bytes. */
    public String output(int i) {
        MicroTensor t = program.tensor(outputs[i]);
        return "((" + ctype(t) + " *)" + program.reference(outputs[i]) + ")";
    }

    /** Output {@code i} as {@code ctype *}. */
    public String output(int i, String ctype) {
        return "((" + ctype + " *)" + program.reference(outputs[i]) + ")";
    }

    /**
     * Reserves {@code bytes} of arena alive only during this operator and returns a {@code ctype *} expression for
     * them (4-byte aligned).
     */
    public String scratch(String what, long bytes, String ctype) {
        return "((" + ctype + " *)" + program.scratch(index, what, bytes) + ")";
    }

    /**
     * Output {@code output} is input {@code input}'s bytes, unchanged (RESHAPE, SQUEEZE, EXPAND_DIMS): no code
     * unless the two cannot share memory (a model input read as a model output, say), then a copy.
     */
    public void alias(int output, int input) {
        program.alias(index, outputs[output], inputs[input]);
    }

    /**
     * Output {@code output} may be written over input {@code input} when the input is read by no later operator and
     * is neither a model input nor a model output nor a constant. Call it only when the kernel reads each element
     * before it writes the element at the same byte offset (same element size). Returns whether they share.
     */
    public boolean inPlace(int output, int input) {
        return program.inPlace(index, outputs[output], inputs[input]);
    }

    /** The generated code calls the kernel library file {@code name} ({@link KernelLibrary#ORDER}). */
    public void use(String name) {
        program.use(name);
    }

    /** Appends a C statement (or several lines) to {@code NAME_invoke}, in operator order. */
    public void statement(String c) {
        program.statement(c);
    }

    /** A {@code static const int32_t} array of the generated file holding {@code values}; returns its name. */
    public String constInts(String what, int[] values) {
        return program.constInts(index, what, values);
    }

    /** A {@code static const int8_t} array holding {@code values}; returns its name. */
    public String constBytes(String what, byte[] values) {
        return program.constBytes(index, what, values);
    }

    /** A {@code static const float} array holding {@code values} bit for bit; returns an expression for it. */
    public String constFloats(String what, float[] values) {
        return program.constFloats(index, what, values);
    }

    /** The typed failure for a configuration the generator does not emit; throw it. */
    public UnsupportedByCodegenException unsupported(String why) {
        return new UnsupportedByCodegenException(index, op, "operator " + index + " (" + op + "): the C code "
                + "generator does not emit " + why + "; micro-runtime still runs the model, and the TFLM C array "
                + "export works for it");
    }

    /** Fails unless every input and output has one of the given types. */
    public void requireTypes(TensorType... allowed) {
        for (int i = 0; i < inputs.length; i++) {
            MicroTensor t = inputTensor(i);
            if (t != null && !t.isConstant() && !Arrays.asList(allowed).contains(t.type())) {
                throw unsupported("input " + i + " of type " + t.type() + " (generated: "
                        + Arrays.stream(allowed).map(Enum::name).collect(Collectors.joining(", ")) + ")");
            }
        }
        for (int i = 0; i < outputs.length; i++) {
            MicroTensor t = outputTensor(i);
            if (!Arrays.asList(allowed).contains(t.type())) {
                throw unsupported("output " + i + " of type " + t.type() + " (generated: "
                        + Arrays.stream(allowed).map(Enum::name).collect(Collectors.joining(", ")) + ")");
            }
        }
    }

    /** A C int literal that is valid for every int32 value (INT32_MIN has no literal of its own). */
    public static String intLiteral(long v) {
        if (v == Integer.MIN_VALUE) {
            return "(-2147483647 - 1)";
        }
        return Long.toString(v);
    }

    /** A C float literal exact to the bit (hexadecimal), or an expression for the special values. */
    public static String floatLiteral(float f) {
        if (Float.isNaN(f)) {
            return "(0.0f / 0.0f)";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "(1.0f / 0.0f)" : "(-1.0f / 0.0f)";
        }
        return Float.toHexString(f) + "f";
    }

    private static String ctype(MicroTensor t) {
        String c = CTypes.of(t.type());
        if (c == null) {
            throw new IllegalStateException("no C type for " + t.type());
        }
        return c;
    }
}
