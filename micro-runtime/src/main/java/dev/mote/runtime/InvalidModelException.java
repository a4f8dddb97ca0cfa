package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

/**
 * The model bytes or the model's contents are not acceptable: malformed FlatBuffer, an index out of range,
 * a shape that does not match its data, or an operator whose options or tensors its kernel refuses.
 * The message says what is wrong and where (byte offset, tensor, or operator index and field).
 */
public class InvalidModelException extends MoteException {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
