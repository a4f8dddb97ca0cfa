package dev.mote.vocabulary;

/** The schema's {@code ActivationFunctionType}: an activation fused into an operator. */
public enum Activation {
    NONE,
    RELU,
    RELU_N1_TO_1,
    RELU6,
    TANH,
    SIGN_BIT;

    private static final Activation[] BY_CODE = values();

    /** The activation with this code, or {@code null} if the code is not a known value. */
    public static Activation fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public int code() {
        return ordinal();
    }
}
