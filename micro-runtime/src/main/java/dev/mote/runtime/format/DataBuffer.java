package dev.mote.runtime.format;

import java.nio.ByteBuffer;

/**
 * One entry of the model's {@code buffers} table: a read-only window on bytes (usually the model file itself,
 * so that constant data is never copied).
 */
public final class DataBuffer {
    /** The empty buffer (the schema's sentinel buffer 0). */
    public static final DataBuffer EMPTY = new DataBuffer(new byte[0], 0, 0);

    private final byte[] source;
    private final int offset;
    private final int length;

    private DataBuffer(byte[] source, int offset, int length) {
        this.source = source;
        this.offset = offset;
        this.length = length;
    }

    /** A buffer holding a copy of {@code data}. */
    public static DataBuffer of(byte[] data) {
        return data.length == 0 ? EMPTY : new DataBuffer(data.clone(), 0, data.length);
    }

    /** A window on {@code source} (not copied; the caller promises not to modify it). */
    public static DataBuffer view(byte[] source, int offset, int length) {
        if (offset < 0 || length < 0 || offset > source.length - length) {
            throw new IllegalArgumentException("window [" + offset + ", +" + length + ") outside " + source.length);
        }
        return length == 0 ? EMPTY : new DataBuffer(source, offset, length);
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public byte get(int index) {
        return source[offset + index];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        byte[] copy = new byte[length];
        System.arraycopy(source, offset, copy, 0, length);
        return copy;
    }

    /**
     * A read-only view of the bytes (position 0, limit {@link #length()}, big-endian as every new
     * {@link ByteBuffer}: set the order you read with). No copy, and nothing can be written through it.
     *
     * <pre>{@code
     * ByteBuffer weights = model.buffer(3).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
     * }</pre>
     */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(source, offset, length).slice().asReadOnlyBuffer();
    }

    /**
     * True if these bytes are a window of {@code array} (starting at {@link #backingOffset()}): how the runtime
     * finds that a constant lies in the model bytes it holds, to read weights in place without handing the array out.
     */
    public boolean isWindowOf(byte[] array) {
        return source == array && length > 0;
    }

    /** Where this buffer starts in the array it is a window of (see {@link #isWindowOf}). */
    public int backingOffset() {
        return offset;
    }
}
