package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Mote's arena figures for seeded random single-op models of every variant of the differential tests, against real
 * TFLM on both ABIs: {@code arena_used_bytes()} (arena of {@link ArenaComparison#ARENA_BYTES}) and the smallest arena
 * that allocates, equal to {@code tflm_run}'s (x86-64) and {@code tflm_run_cm}'s (Cortex-M3 under QEMU, about 4 s
 * per model for the search). Bounded: {@value #HOST_MODELS} models per variant on x86-64, {@value #CORTEX_M_MODELS}
 * on Cortex-M. The larger run:
 * {@code mvn -B -o -pl micro-runtime -am test -Dmote.fuzz=0 -Dtest=ArenaFiguresTflmTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmote.tflm.arena.cases=40 -Dmote.tflm.arena.cm.cases=8}.
 */
class ArenaFiguresTflmTest {
    static final int HOST_MODELS = 4;
    static final int CORTEX_M_MODELS = 1;

    static Stream<Variant> variants() {
        return CortexMOutputsTflmTest.variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void arenaFiguresEqualTflmOnX86(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        int n = Integer.getInteger("mote.tflm.arena.cases", HOST_MODELS);
        ArenaComparison.assertAllIdentical(variant.name(),
                ArenaComparison.runAll(tflm, ArenaComparison.cases(variant, n)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void arenaFiguresEqualTflmOnCortexM(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.CORTEX_M);
        int n = Integer.getInteger("mote.tflm.arena.cm.cases", CORTEX_M_MODELS);
        ArenaComparison.assertAllIdentical(variant.name(),
                ArenaComparison.runAll(tflm, ArenaComparison.cases(variant, n)));
    }
}
