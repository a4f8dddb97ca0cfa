package dev.mote.vocabulary;

/**
 * Base class of every error Mote reports on purpose. Anything else escaping Mote is a bug.
 */
public class MoteException extends RuntimeException {
    public MoteException(String message) {
        super(message);
    }

    public MoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
