package dev.mote.samples;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import org.junit.jupiter.api.Test;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Fashion-MNIST sample's pipeline in a short configuration ({@link QuickRuns#FASHION}): the int8 accuracies are
 * measured by running the exported bytes on micro-runtime in TFLM's smallest arena.
 */
class FashionMnistCnnTest {

    @Test
    void int8ModelsOnMicroRuntimeAreFarAboveChanceAndCloseToFloat() {
        FashionMnistCnn.Result r = QuickRuns.fashion();
        System.out.print(r.table());
        System.out.println(r.timings());
        assertEquals(1000, r.testImages());
        assertEquals(4000, r.trainImages());
        assertEquals(1000, r.qat().total());
        double f = r.floatModel().accuracy();
        double ptq = r.ptq().accuracy();
        double qat = r.qat().accuracy();
        assertTrue(f > 0.6, "float accuracy " + f + " (chance: 0.1)");
        assertTrue(ptq > 0.6, "PTQ int8 accuracy on micro-runtime " + ptq + " (chance: 0.1)");
        assertTrue(qat > 0.6, "QAT int8 accuracy on micro-runtime " + qat + " (chance: 0.1)");
        // PTQ has the float model's weights: the difference is the int8 error alone
        assertTrue(Math.abs(ptq - f) <= 0.03, "PTQ int8 " + ptq + " vs float " + f);
        // QAT trains one more epoch (at a tenth of the rate), so in a run this short it may gain; it must not lose
        assertTrue(qat >= f - 0.03, "QAT int8 " + qat + " vs float " + f);
        assertTrue(qat >= ptq - 0.01, "QAT int8 " + qat + " vs PTQ int8 " + ptq);
    }

    @Test
    void exportedModelFitsTheSampleBudgetOnBothTargets() {
        FashionMnistCnn.Result r = QuickRuns.fashion();
        byte[] bytes = r.qatModel().bytes();
        FashionMnistCnn.checkBudget(bytes);
        assertTrue(bytes.length <= FashionMnistCnn.FLASH_BUDGET_BYTES, bytes.length + " bytes");
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport report = ArenaReport.of(bytes, target);
            assertTrue(report.minimumArenaBytes() <= FashionMnistCnn.RAM_BUDGET_BYTES, report.toString());
            assertTrue(report.exact(), "arena figures estimated for " + report.estimatedOps());
        }
        assertEquals(ArenaReport.of(bytes, ArenaTarget.CORTEX_M), r.cortexM());
        assertEquals(ArenaReport.of(bytes, ArenaTarget.HOST_64), r.host64());
        // PTQ and QAT export the same graph: same size, same arena
        assertEquals(bytes.length, r.ptqModel().size());
    }

    @Test
    void trainingStopsWhereConfigured() {
        FashionMnistCnn.Result r = QuickRuns.fashion();
        assertEquals(2, r.trainedEpochs());
        assertEquals(3, r.history().size());
        assertEquals("qat", r.history().get(2).phase());
    }

    @Test
    void missingDataSetSaysHowToInstallIt() {
        Path nowhere = Path.of("target/no-fashion-mnist-here");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnistCnn.run(
                FashionMnistCnn.Config.full().toBuilder().dataDirectory(nowhere).progressBar(false).build()));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains(nowhere.resolve("train-images-idx3-ubyte.gz").toString()), e.getMessage());
    }
}
