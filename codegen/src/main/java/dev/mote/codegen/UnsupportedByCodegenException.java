package dev.mote.codegen;

import dev.mote.vocabulary.BuiltinOperator;

/**
 * The model has an operator, or an operator configuration, that the C code generator does not emit (micro-runtime
 * may still run it). Names the operator index and op; {@link #operatorIndex()} and {@link #op()} say which.
 *
 * <pre>{@code
 * try {
 *     CCodeGenerator.forModel(bytes).generate();
 * } catch (UnsupportedByCodegenException e) {
 *     System.err.println("operator " + e.operatorIndex() + " (" + e.op() + "): " + e.getMessage());
 * }
 * }</pre>
 */
public class UnsupportedByCodegenException extends CodegenException {
    private final int operatorIndex;
    private final BuiltinOperator op;

    public UnsupportedByCodegenException(int operatorIndex, BuiltinOperator op, String message) {
        super(message);
        this.operatorIndex = operatorIndex;
        this.op = op;
    }

    /** Index of the operator in the subgraph's execution order. */
    public int operatorIndex() {
        return operatorIndex;
    }

    /** The operator (null if the model's operator code is not a builtin Mote knows). */
    public BuiltinOperator op() {
        return op;
    }
}
