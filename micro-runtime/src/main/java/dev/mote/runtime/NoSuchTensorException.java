package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

/**
 * An interpreter was asked for an input, output or tensor index the model does not have. The message names the
 * index asked for and how many there are.
 *
 * <pre>{@code
 * for (int i = 0; i < interpreter.inputCount(); i++) {
 *     interpreter.input(i).setFloats(values[i]); // never NoSuchTensorException
 * }
 * }</pre>
 */
public class NoSuchTensorException extends MoteException {
    private final int index;
    private final int count;

    public NoSuchTensorException(String kind, int index, int count, String countMethod) {
        super(kind + " " + index + " does not exist: the model has " + count + " " + kind
                + (count == 1 ? "" : "s") + (count == 0 ? "" : " (indices 0 to " + (count - 1) + ")")
                + "; ask " + countMethod + "() for the count");
        this.index = index;
        this.count = count;
    }

    /** The index asked for. */
    public int index() {
        return index;
    }

    /** How many there are. */
    public int count() {
        return count;
    }
}
