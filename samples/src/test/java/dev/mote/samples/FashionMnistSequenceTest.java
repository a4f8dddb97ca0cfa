package dev.mote.samples;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequence sample in a short configuration ({@link QuickRuns#SEQUENCE}): both models learn far above chance, the
 * int8 accuracies (the exported bytes run on micro-runtime in TFLM's smallest arena) stay close to float, and both
 * fit the sample's budget with exact arena figures.
 */
class FashionMnistSequenceTest {

    @Test
    void lstmModelOnMicroRuntimeIsFarAboveChanceAndCloseToFloat() {
        check(QuickRuns.lstm());
    }

    @Test
    void conv1dModelOnMicroRuntimeIsFarAboveChanceAndCloseToFloat() {
        check(QuickRuns.conv1d());
    }

    private static void check(FashionMnistCnn.Result r) {
        System.out.print(r.spec().name() + "\n" + r.table());
        assertEquals(1000, r.qat().total());
        double f = r.floatModel().accuracy();
        double ptq = r.ptq().accuracy();
        double qat = r.qat().accuracy();
        assertTrue(f > 0.55, r.spec().name() + " float accuracy " + f + " (chance: 0.1)");
        assertTrue(Math.abs(ptq - f) <= 0.04, r.spec().name() + " PTQ int8 " + ptq + " vs float " + f);
        assertTrue(qat >= f - 0.03, r.spec().name() + " QAT int8 " + qat + " vs float " + f);
        byte[] bytes = r.qatModel().bytes();
        FashionMnistCnn.checkBudget(bytes);
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport report = ArenaReport.of(bytes, target);
            assertTrue(report.exact(), r.spec().name() + ": arena figures estimated for " + report.estimatedOps());
        }
    }
}
