package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.vocabulary.BuiltinOperator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Mote's arena figures for seeded random single-op models of every variant of the differential tests, against real
 * TFLM on both ABIs: {@code arena_used_bytes()} (arena of {@link ArenaComparison#ARENA_BYTES}) and the smallest arena
 * that allocates, equal to {@code tflm_run}'s (x86-64) and {@code tflm_run_cm}'s (Cortex-M3 under QEMU, about 4 s
 * per model for the search). All models of a target run in one pool of {@link DeviceComparison#THREADS} threads,
 * then each variant is one dynamic test.
 *
 * <p>Bounded: {@value #HOST_MODELS} models per variant on x86-64; on Cortex-M one model of the first variant of
 * each op and of every int16 variant. The larger run (40 per variant on x86-64, 4 per variant on Cortex-M, about
 * 10 minutes):
 * {@code mvn -B -o -pl micro-runtime -am test -Dmote.fuzz=0 -Dtest=ArenaFiguresTflmTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmote.tflm.arena.cases=40 -Dmote.tflm.arena.cm.cases=4}.
 */
class ArenaFiguresTflmTest {
    static final int HOST_MODELS = 6;

    @TestFactory
    Stream<DynamicTest> arenaFiguresEqualTflmOnX86() {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        int n = Integer.getInteger("mote.tflm.arena.cases", HOST_MODELS);
        return compare(tflm, CortexMOutputsTflmTest.variants().toList(), n);
    }

    @TestFactory
    Stream<DynamicTest> arenaFiguresEqualTflmOnCortexM() {
        RealTflm tflm = RealTflm.require(ArenaTarget.CORTEX_M);
        Integer n = Integer.getInteger("mote.tflm.arena.cm.cases");
        List<Variant> variants = CortexMOutputsTflmTest.variants().toList();
        if (n == null) { // bounded: the first variant of each op, and every int16 (16x8) variant, one model
            Set<BuiltinOperator> seen = EnumSet.noneOf(BuiltinOperator.class);
            variants = variants.stream().filter(v -> seen.add(v.op()) || v.name().endsWith(" int16")).toList();
        }
        return compare(tflm, variants, n == null ? 1 : n);
    }

    private static Stream<DynamicTest> compare(RealTflm tflm, List<Variant> variants, int count) {
        List<DeviceCase> all = new ArrayList<>();
        for (Variant v : variants) {
            all.addAll(ArenaComparison.cases(v, count));
        }
        List<ArenaComparison.Outcome> outcomes = ArenaComparison.runAll(tflm, all);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            List<ArenaComparison.Outcome> mine = outcomes.subList(i * count, (i + 1) * count);
            tests.add(DynamicTest.dynamicTest(v.name(), () -> ArenaComparison.assertAllIdentical(v.name(), mine)));
        }
        return tests.stream();
    }
}
