package dev.mote.runtime.internal.memory;

/**
 * The parts of a C ABI that decide how big TFLM's structs are: the width of pointers and {@code size_t}, and the
 * width of C enums ({@code arm-none-eabi-gcc} uses short enums, so TFLM's small enums take one byte there).
 * {@code double} and {@code int64_t} are 8-byte aligned on both ABIs Mote models (x86-64 SysV and ARM AAPCS).
 *
 * @param pointerBytes size and alignment of pointers, {@code size_t} and {@code intptr_t}
 * @param enumBytes    size and alignment of TFLM's C enums ({@code TfLiteType}, {@code TfLitePadding}, ...)
 */
public record Abi(int pointerBytes, int enumBytes) {

    /** x86-64 (and aarch64) Linux: 8-byte pointers, 4-byte enums. */
    public static final Abi LP64 = new Abi(8, 4);

    /** 32-bit Cortex-M with arm-none-eabi-gcc: 4-byte pointers, short (1-byte) enums. */
    public static final Abi ARM_EABI_SHORT_ENUMS = new Abi(4, 1);

    public Abi {
        if (pointerBytes != 4 && pointerBytes != 8) {
            throw new IllegalArgumentException("pointer size must be 4 or 8, got " + pointerBytes);
        }
        if (enumBytes != 1 && enumBytes != 2 && enumBytes != 4) {
            throw new IllegalArgumentException("enum size must be 1, 2 or 4, got " + enumBytes);
        }
    }
}
