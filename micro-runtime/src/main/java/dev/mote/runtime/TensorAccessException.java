package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

/**
 * Code outside a kernel asked for the live bytes of a tensor or of the arena ({@link MicroTensor#data()},
 * {@link NodeContext#arena()}), which only a kernel's {@code prepare} and {@code invoke} may use. The message names
 * the tensor or operator and the accessor to use instead.
 *
 * <pre>{@code
 * MicroTensor out = interpreter.output(0);
 * ByteBuffer view = out.asReadOnlyBuffer(); // not out.data(): that throws TensorAccessException here
 * byte[] copy = out.toByteArray();
 * }</pre>
 */
public class TensorAccessException extends MoteException {
    public TensorAccessException(String message) {
        super(message);
    }
}
