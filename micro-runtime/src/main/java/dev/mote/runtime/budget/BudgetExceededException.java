package dev.mote.runtime.budget;

import dev.mote.vocabulary.MoteException;

/** A model does not fit its RAM (arena) or flash budget; the message says by how much and what is largest. */
public final class BudgetExceededException extends MoteException {
    public BudgetExceededException(String message) {
        super(message);
    }
}
