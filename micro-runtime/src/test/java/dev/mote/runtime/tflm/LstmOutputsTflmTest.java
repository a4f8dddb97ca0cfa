package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM (int8 and float32) on seeded random single-op models ({@link LstmCases}): Mote's
 * output bytes equal real TFLM's ({@code tflm_run}, x86-64). {@code -Dmote.tflm.cases=N} for more.
 */
class LstmOutputsTflmTest {
    static final int CASES = 20;

    static List<Variant> variants() {
        return LstmCases.variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void outputsAreIdenticalToTflm(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        DeviceComparison.assertAllIdentical("x86-64", variant.name(),
                DeviceComparison.runAll(tflm, variant, DeviceComparison.cases(CASES)));
    }
}
