package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/**
 * TRANSPOSE_CONV (int8, 16x8, float32; {@link TransposeConvCases}) on seeded random single-op models: Mote's output
 * bytes equal real TFLM's ({@code tflm_run}, x86-64), {@value #CASES} cases per variant ({@code -Dmote.tflm.cases=N}
 * for more); {@value #CM_CASES} per variant on Cortex-M; arena figures (used bytes, smallest arena) of
 * {@value #ARENA_CASES} models per variant on x86-64 and {@value #CM_CASES} on Cortex-M.
 */
class TransposeConvOutputsTflmTest {
    static final int CASES = Integer.getInteger("mote.tflm.cases", 40);
    static final int CM_CASES = 4;
    static final int ARENA_CASES = 10;

    static List<Variant> variants() {
        return TransposeConvCases.variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void outputsAreIdenticalToTflm(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        DeviceComparison.assertAllIdentical("x86-64", variant.name(),
                DeviceComparison.runAll(tflm, variant, DeviceComparison.cases(CASES)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void outputsAreIdenticalToTflmOnCortexM(Variant variant) {
        RealTflm cm = RealTflm.require(ArenaTarget.CORTEX_M);
        DeviceComparison.assertAllIdentical("Cortex-M", variant.name(),
                DeviceComparison.runAll(cm, variant, CM_CASES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void arenaFiguresEqualTflmOnBothAbis(Variant variant) {
        for (ArenaTarget target : new ArenaTarget[] {ArenaTarget.HOST_64, ArenaTarget.CORTEX_M}) {
            RealTflm tflm = RealTflm.require(target);
            ArenaComparison.assertAllIdentical(variant.name(), ArenaComparison.runAll(tflm,
                    ArenaComparison.cases(variant, target == ArenaTarget.HOST_64 ? ARENA_CASES : CM_CASES)));
        }
    }
}
