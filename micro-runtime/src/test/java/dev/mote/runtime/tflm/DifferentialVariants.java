package dev.mote.runtime.tflm;

import java.util.List;

/**
 * Every op variant of the differential tests against real TFLM, for other modules' tests (the C code generator's):
 * the same seeded cases micro-runtime is compared on.
 */
public final class DifferentialVariants {
    private DifferentialVariants() {
    }

    /** All variants, in the differential tests' order. */
    public static List<Variant> all() {
        return CortexMOutputsTflmTest.variants().toList();
    }

    /**
     * The int16 (16x8) element-wise variants ({@code Int16Cases}: int16 ADD, SUB, MUL, LEAKY_RELU, DEQUANTIZE, and
     * QUANTIZE to or from int16 and int32), which micro-runtime computes and the C code generator does not emit.
     */
    public static List<Variant> int16ElementwiseNotEmitted() {
        return Int16Cases.variants();
    }
}
