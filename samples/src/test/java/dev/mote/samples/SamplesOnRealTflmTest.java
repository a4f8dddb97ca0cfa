package dev.mote.samples;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The samples' exports on the device's own code: real TFLM ({@code ../shared/tflm}, x86-64 and Cortex-M under QEMU)
 * allocates them with exactly the arena Mote reports (used bytes and the smallest arena that allocates) and computes
 * the same output bytes as micro-runtime on seeded random inputs.
 */
class SamplesOnRealTflmTest {
    /** An arena that holds both samples, a multiple of 16 (TFLM's used bytes depend on the size modulo 16). */
    private static final int ARENA = 64 * 1024;

    @ParameterizedTest
    @EnumSource(ArenaTarget.class)
    void helloWorldRunsOnRealTflmWithTheReportedArena(ArenaTarget target) {
        RealTflm tflm = RealTflm.require(target);
        check(tflm, "hello_world", QuickRuns.helloWorld().exported().bytes(), 3);
    }

    @ParameterizedTest
    @EnumSource(ArenaTarget.class)
    void fashionMnistRunsOnRealTflmWithTheReportedArena(ArenaTarget target) {
        RealTflm tflm = RealTflm.require(target);
        check(tflm, "fashion_mnist", QuickRuns.fashion().qatModel().bytes(), 2);
    }

    @ParameterizedTest
    @EnumSource(ArenaTarget.class)
    void fashionSequenceModelsRunOnRealTflmWithTheReportedArena(ArenaTarget target) {
        RealTflm tflm = RealTflm.require(target);
        check(tflm, "fashion_lstm", QuickRuns.lstm().qatModel().bytes(), 2);
        check(tflm, "fashion_conv1d", QuickRuns.conv1d().qatModel().bytes(), 2);
    }

    private static void check(RealTflm tflm, String name, byte[] model, int inputs) {
        ArenaTarget target = tflm.target();
        ArenaReport report = ArenaReport.of(model, target);
        assertTrue(report.exact(), name + ": " + report);
        Random random = new Random(42);
        for (int k = 0; k < inputs; k++) {
            MicroInterpreter mote = new MicroInterpreter(model, OpResolver.allBuiltins(), ARENA, target);
            mote.allocateTensors();
            byte[] input = new byte[mote.input(0).byteSize()];
            random.nextBytes(input);
            mote.input(0).copyFrom(input);
            mote.invoke();
            RealTflm.Run run = tflm.run(model, ARENA, input, k == 0);
            assertTrue(run.allocated() && run.invoked(), name + " on " + target + ":\n" + run.log());
            assertArrayEquals(run.output(), mote.output(0).toByteArray(), name + " output, input " + k);
            assertEquals(run.arenaUsedBytes(), mote.arenaUsedBytes(), name + " arena used on " + target);
            if (k == 0) {
                assertEquals(run.arenaUsedBytes(), report.usedBytes(), name + " reported arena used on " + target);
                assertEquals(run.smallestArena(), report.minimumArenaBytes(), name + " smallest arena on " + target);
            }
        }
    }
}
