package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Arena figures against real TFLM for what Mote cannot compute but whose footprint it declares
 * ({@code FootprintOnlyKernel}): SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM (now computed; its kernel's prepare declares it),
 * and the configurations Mote's kernels refuse
 * (int16 MEAN, int16 SOFTMAX, per-channel FULLY_CONNECTED, INT4 CONV_2D filters) are exact on both ABIs, used bytes
 * and smallest arena equal to TFLM's, and TFLM allocates every model. Bounded: {@value #HOST_MODELS} models per variant on x86-64, one on Cortex-M; more with
 * {@code -Dmote.tflm.arena.cases=N -Dmote.tflm.arena.cm.cases=N}.
 */
class FootprintOpsArenaTflmTest {
    static final int HOST_MODELS = 6;

    private static int count(ArenaTarget target) {
        return target == ArenaTarget.HOST_64 ? Integer.getInteger("mote.tflm.arena.cases", HOST_MODELS)
                : Integer.getInteger("mote.tflm.arena.cm.cases", 1);
    }

    private static Stream<DynamicTest> compare(ArenaTarget target) {
        RealTflm tflm = RealTflm.require(target);
        int n = count(target);
        List<Variant> exact = FootprintCases.footprintOnly();
        List<DeviceCase> all = new ArrayList<>();
        for (Variant v : exact) {
            all.addAll(ArenaComparison.cases(v, n));
        }
        List<ArenaComparison.Outcome> outcomes = ArenaComparison.runAll(tflm, all);
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (Variant v : exact) {
            List<ArenaComparison.Outcome> mine = outcomes.subList(i, i + n);
            tests.add(DynamicTest.dynamicTest(v.name() + " exact", () -> {
                List<ArenaComparison.Outcome> refused = mine.stream().filter(o -> !o.tflmAllocated()).toList();
                assertTrue(refused.isEmpty(), () -> v.name() + " on " + target.cliName() + ": TFLM does not "
                        + "allocate " + refused.size() + " of " + mine.size() + " models, so they compare nothing:"
                        + refused.stream().limit(3).map(o -> "\n  " + o.explain()).reduce("", String::concat));
                ArenaComparison.assertAllIdentical(v.name(), mine);
            }));
            i += n;
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> onX86() {
        return compare(ArenaTarget.HOST_64);
    }

    @TestFactory
    Stream<DynamicTest> onCortexM() {
        return compare(ArenaTarget.CORTEX_M);
    }
}
