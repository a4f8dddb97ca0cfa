package dev.mote.vocabulary;

/** Tensor element types of the TFLite schema, with their code and element size in bytes (0 if variable). */
public enum TensorType {
    FLOAT32(0, 4),
    FLOAT16(1, 2),
    INT32(2, 4),
    UINT8(3, 1),
    INT64(4, 8),
    STRING(5, 0),
    BOOL(6, 1),
    INT16(7, 2),
    COMPLEX64(8, 8),
    INT8(9, 1),
    FLOAT64(10, 8),
    COMPLEX128(11, 16),
    UINT64(12, 8),
    RESOURCE(13, 0),
    VARIANT(14, 0),
    UINT32(15, 4),
    UINT16(16, 2),
    INT4(17, 0),
    BFLOAT16(18, 2);

    private static final TensorType[] BY_CODE = values();

    private final int code;
    private final int bytesPerElement;

    TensorType(int code, int bytesPerElement) {
        this.code = code;
        this.bytesPerElement = bytesPerElement;
    }

    public int code() {
        return code;
    }

    /** Bytes per element; 0 for types whose size is not fixed (string, resource, variant, int4). */
    public int bytesPerElement() {
        return bytesPerElement;
    }

    /** The type with this code, or {@code null} if unknown. */
    public static TensorType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
