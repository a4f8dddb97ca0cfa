package dev.mote.runtime.format;

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

    /** The backing array (read only by contract): used by the runtime to read weights in place. */
    public byte[] backingArray() {
        return source;
    }

    /** Where this buffer starts in {@link #backingArray()}. */
    public int backingOffset() {
        return offset;
    }
}
