package dev.mote.codegen.internal;

import dev.mote.vocabulary.TensorType;

/** The C99 element type of each tensor type the generated code handles. */
public final class CTypes {
    private CTypes() {
    }

    /** The {@code <stdint.h>} (or {@code float}) type of one element, or null if the generator has none. */
    public static String of(TensorType type) {
        return switch (type) {
            case INT8 -> "int8_t";
            case UINT8 -> "uint8_t";
            case BOOL -> "uint8_t";
            case INT16 -> "int16_t";
            case UINT16 -> "uint16_t";
            case INT32 -> "int32_t";
            case UINT32 -> "uint32_t";
            case INT64 -> "int64_t";
            case UINT64 -> "uint64_t";
            case FLOAT32 -> "float";
            default -> null;
        };
    }
}
