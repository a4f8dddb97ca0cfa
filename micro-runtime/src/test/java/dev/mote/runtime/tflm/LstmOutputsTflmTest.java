package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM (int8 and float32) on seeded random single-op models ({@link LstmCases}): Mote's
 * output bytes equal real TFLM's ({@code tflm_run}, x86-64). {@code -Dmote.tflm.cases=N} for more. The int8 LSTM
 * also on the Cortex-M3 build ({@value #CM_CASES} cases, {@code -Dmote.tflm.cm.cases=N}; the float32 LSTM's
 * sigmoids call {@code expf}, whose newlib and glibc results differ in the last bit, see
 * {@link CortexMOutputsTflmTest}).
 */
class LstmOutputsTflmTest {
    static final int CASES = 20;
    static final int CM_CASES = 10;

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

    @Test
    void int8OutputsAreIdenticalToTflmOnCortexM() {
        RealTflm cm = RealTflm.require(ArenaTarget.CORTEX_M);
        Variant int8 = LstmCases.variants().get(0);
        DeviceComparison.assertAllIdentical("Cortex-M", int8.name(),
                DeviceComparison.runAll(cm, int8, Integer.getInteger("mote.tflm.cm.cases", CM_CASES)));
    }

    /** In arena guard mode (every buffer unshared, canaries around each) the kernel gives the same bytes as TFLM. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void guardModeOutputsAreIdenticalToTflm(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        for (int i = 1; i <= 5; i++) {
            DeviceCase c = variant.caseAt(i);
            MicroInterpreter guarded = new MicroInterpreter(c.model(), OpResolver.allBuiltins(),
                    DeviceComparison.ARENA_BYTES, MicroInterpreter.Options.defaults().withArenaGuard(true));
            guarded.allocateTensors();
            guarded.input(0).copyFrom(c.inputs().get(0));
            guarded.invoke();
            RealTflm.Run run = tflm.run(c.model(), DeviceComparison.ARENA_BYTES, c.concatenatedInputs(), false);
            assertArrayEquals(run.output(), guarded.output(0).toByteArray(), c::toString);
        }
    }
}
