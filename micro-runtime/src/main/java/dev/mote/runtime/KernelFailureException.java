package dev.mote.runtime;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.MoteException;

/**
 * A kernel (or the op resolver factory that made it) broke its contract: its {@code prepare} threw something other
 * than a typed Mote refusal, it requested a scratch buffer after planning, or its factory handed out one kernel
 * instance for two nodes. Unlike {@link InvalidModelException} this is not a problem of the model but a bug in the
 * kernel; the message names the operator index and the op, and {@link #getCause()} holds what the kernel threw.
 *
 * <pre>{@code
 * try {
 *     interpreter.allocateTensors();
 * } catch (KernelFailureException e) {
 *     // fix the kernel registered for e.op(); e.getCause() is its stack trace
 * } catch (InvalidModelException e) {
 *     // the model is refused: fix the model
 * }
 * }</pre>
 */
public class KernelFailureException extends MoteException {
    private final int operatorIndex;
    private final BuiltinOperator op;

    public KernelFailureException(int operatorIndex, BuiltinOperator op, String message, Throwable cause) {
        super(message, cause);
        this.operatorIndex = operatorIndex;
        this.op = op;
    }

    /** A kernel's {@code prepare} or {@code invoke} ({@code phase}) threw {@code e}, which is not a Mote refusal. */
    static KernelFailureException thrownBy(String phase, int operatorIndex, BuiltinOperator op, String opName,
                                           RuntimeException e) {
        return new KernelFailureException(operatorIndex, op, "operator " + operatorIndex + " (" + opName + "): the "
                + "kernel's " + phase + " failed with " + e + "; this is a bug in the kernel, not a problem of the "
                + "model" + ("prepare".equals(phase) ? " (a kernel refuses a model with NodeContext.fail)" : ""), e);
    }

    /** The index of the operator whose kernel failed. */
    public int operatorIndex() {
        return operatorIndex;
    }

    /** The op of that operator ({@code null} if the model's operator code is not a builtin Mote knows). */
    public BuiltinOperator op() {
        return op;
    }
}
