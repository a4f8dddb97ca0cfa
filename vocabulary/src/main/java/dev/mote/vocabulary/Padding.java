package dev.mote.vocabulary;

/** The schema's {@code Padding} enum. */
public enum Padding {
    SAME,
    VALID;

    /** The padding with this code, or {@code null} if the code is not a known value. */
    public static Padding fromCode(int code) {
        return code == 0 ? SAME : code == 1 ? VALID : null;
    }

    public int code() {
        return ordinal();
    }
}
