package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

/** The arena given to the interpreter cannot hold what the model needs. */
public class ArenaTooSmallException extends MoteException {
    private final long neededBytes;
    private final long givenBytes;

    public ArenaTooSmallException(long neededBytes, long givenBytes, String detail) {
        super("arena too small: the model needs " + neededBytes + " bytes, the arena has " + givenBytes
                + " bytes (" + (neededBytes - givenBytes) + " bytes short)" + (detail.isEmpty() ? "" : "; " + detail));
        this.neededBytes = neededBytes;
        this.givenBytes = givenBytes;
    }

    /**
     * The smallest arena size with which allocation succeeds. When one tensor alone is already larger than the
     * arena (found before the kernels prepare) and the model's activations exceed 4 MiB, a lower bound instead: the
     * framework's own needs and the planned tensors, no kernel's (the message says so).
     */
    public long neededBytes() {
        return neededBytes;
    }

    /** The arena size that was given. */
    public long givenBytes() {
        return givenBytes;
    }
}
