package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/**
 * CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, int8 and float32, on seeded random single-op models: Mote's output
 * bytes equal real TFLM's ({@code tflm_run}, x86-64) in every case. {@code -Dmote.tflm.cases=N} for a longer run.
 */
class ConvolutionOutputsTflmTest {
    static final int CASES = 40;

    static List<Variant> variants() {
        return ConvolutionCases.variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void outputsAreIdenticalToTflm(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        DeviceComparison.assertAllIdentical("x86-64", variant.name(),
                DeviceComparison.runAll(tflm, variant, DeviceComparison.cases(CASES)));
    }
}
