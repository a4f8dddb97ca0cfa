package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

import dev.mote.vocabulary.BuiltinOperator;

/**
 * Arena guard mode caught an operator writing where it must not: outside its output tensors and scratch buffers
 * (into the canary bytes around a buffer, into one of its inputs, into another tensor) or into the model's constant
 * data. The message names the operator index, the op, the tensor (or scratch buffer) that was hit and the byte.
 * Only thrown when {@link MicroInterpreter.Options#arenaGuard()} is on; it means a kernel has a bug.
 */
public class ArenaGuardException extends MoteException {
    private final int operatorIndex;
    private final BuiltinOperator op;
    private final int tensorIndex;

    public ArenaGuardException(int operatorIndex, BuiltinOperator op, int tensorIndex, String message) {
        super(message);
        this.operatorIndex = operatorIndex;
        this.op = op;
        this.tensorIndex = tensorIndex;
    }

    /** The index of the operator that wrote out of bounds. */
    public int operatorIndex() {
        return operatorIndex;
    }

    /** The op of that operator. */
    public BuiltinOperator op() {
        return op;
    }

    /** The tensor whose bytes or guard bytes were hit, or -1 for a scratch buffer or an unplanned byte. */
    public int tensorIndex() {
        return tensorIndex;
    }
}
