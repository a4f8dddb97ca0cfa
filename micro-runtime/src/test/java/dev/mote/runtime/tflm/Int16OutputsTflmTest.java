package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/**
 * The int16 (16x8) element-wise variants of {@link Int16Cases} on seeded random single-op models: Mote's output
 * bytes equal real TFLM's ({@code tflm_run}, x86-64). {@code -Dmote.tflm.cases=N} for more.
 */
class Int16OutputsTflmTest {
    static final int CASES = 20;

    static List<Variant> variants() {
        return Int16Cases.variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void outputsAreIdenticalToTflm(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        DeviceComparison.assertAllIdentical("x86-64", variant.name(),
                DeviceComparison.runAll(tflm, variant, DeviceComparison.cases(CASES)));
    }
}
