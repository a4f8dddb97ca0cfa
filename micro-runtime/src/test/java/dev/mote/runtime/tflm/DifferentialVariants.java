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
}
