package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The int16 (16x8) element-wise variants of {@link Int16Cases} on seeded random single-op models: Mote's output
 * bytes equal real TFLM's ({@code tflm_run}, x86-64). {@code -Dmote.tflm.cases=N} for more. Their Cortex-M outputs
 * and x86-64 arena figures are in {@link CortexMOutputsTflmTest} and {@link ArenaFiguresTflmTest} (which run every
 * variant); {@link #arenaFiguresEqualTflmOnCortexM} adds one model of each on Cortex-M, where
 * {@code ArenaFiguresTflmTest} only takes the first variant of each op ({@code -Dmote.tflm.arena.cm.cases=N}).
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

    @TestFactory
    Stream<DynamicTest> arenaFiguresEqualTflmOnCortexM() {
        RealTflm tflm = RealTflm.require(ArenaTarget.CORTEX_M);
        int n = Integer.getInteger("mote.tflm.arena.cm.cases", 1);
        List<Variant> variants = variants();
        List<DeviceCase> all = new ArrayList<>();
        for (Variant v : variants) {
            all.addAll(ArenaComparison.cases(v, n));
        }
        List<ArenaComparison.Outcome> outcomes = ArenaComparison.runAll(tflm, all);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            List<ArenaComparison.Outcome> mine = outcomes.subList(i * n, (i + 1) * n);
            tests.add(DynamicTest.dynamicTest(v.name(), () -> ArenaComparison.assertAllIdentical(v.name(), mine)));
        }
        return tests.stream();
    }
}
