package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

/** The model uses an operator (or an operator version) that the op resolver does not provide. */
public class UnsupportedOpException extends MoteException {
    public UnsupportedOpException(String message) {
        super(message);
    }
}
