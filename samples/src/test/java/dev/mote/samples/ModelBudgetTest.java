package dev.mote.samples;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.budget.Budget;
import dev.mote.runtime.budget.BudgetExceededException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "The unit test that the model fits": {@link Budget} on the samples' exported models, passing within their budgets
 * and failing, with a message a user can act on, below them.
 */
class ModelBudgetTest {

    @Test
    void helloWorldFits2KbOfRamAnd4KbOfFlash() {
        byte[] model = QuickRuns.helloWorld().exported().bytes();
        assertDoesNotThrow(() -> Budget.ram(2 * 1024).flash(4 * 1024).target(ArenaTarget.CORTEX_M).check(model));
        assertDoesNotThrow(() -> Budget.ram(2 * 1024).flash(4 * 1024).target(ArenaTarget.HOST_64).check(model));
    }

    @Test
    void fashionMnistCnnFits32KbOfRamAnd64KbOfFlash() {
        byte[] model = QuickRuns.fashion().qatModel().bytes();
        for (ArenaTarget target : ArenaTarget.values()) {
            assertDoesNotThrow(() -> Budget.ram(32 * 1024).flash(64 * 1024).target(target).check(model));
        }
    }

    @Test
    void tooSmallBudgetSaysWhatIsOverByHowMuchAndWhatIsLargest() {
        byte[] model = QuickRuns.helloWorld().exported().bytes();
        ArenaReport arena = ArenaReport.of(model, ArenaTarget.CORTEX_M);
        int ram = 512;
        int flash = 1024;
        BudgetExceededException e = assertThrows(BudgetExceededException.class,
                () -> Budget.ram(ram).flash(flash).target(ArenaTarget.CORTEX_M).check(model));
        String m = e.getMessage();
        System.out.println(m);
        assertTrue(m.startsWith("model does not fit its budget."), m);
        assertTrue(arena.minimumArenaBytes() > ram && model.length > flash, "the budget is meant to be too small");
        assertTrue(m.contains(String.format("RAM: needs %,d bytes of arena on CORTEX_M, allowed %,d (over by %,d)",
                arena.minimumArenaBytes(), ram, arena.minimumArenaBytes() - ram)), m);
        assertTrue(m.contains(String.format("Flash: the model is %,d bytes, allowed %,d (over by %,d).",
                model.length, flash, model.length - flash)), m);
        assertTrue(m.contains("largest tensors alive at the peak (operator " + arena.peakOperator() + ")"), m);
        assertFalse(arena.peakTensors().isEmpty());
        assertTrue(arena.peakTensors().size() <= 3);
        for (ArenaReport.BufferUse use : arena.peakTensors()) {
            assertTrue(m.contains(String.format("'%s' %,d B;", use.name(), use.bytes())), m);
        }
        assertTrue(m.contains(String.format("TFLM bookkeeping %,d B", arena.tailBytes())), m);
    }

    @Test
    void fashionMnistCnnOverRamOnlyNamesItsThreeLargestPeakTensors() {
        byte[] model = QuickRuns.fashion().qatModel().bytes();
        ArenaReport arena = ArenaReport.of(model, ArenaTarget.CORTEX_M);
        int ram = 8 * 1024;
        BudgetExceededException e = assertThrows(BudgetExceededException.class,
                () -> Budget.ram(ram).flash(64 * 1024).target(ArenaTarget.CORTEX_M).check(model));
        String m = e.getMessage();
        System.out.println(m);
        assertTrue(m.contains(String.format("needs %,d bytes of arena on CORTEX_M, allowed %,d (over by %,d)",
                arena.minimumArenaBytes(), ram, arena.minimumArenaBytes() - ram)), m);
        assertFalse(m.contains("Flash"), m);
        // the peak is where the 14x14x32 pointwise output meets its 14x14x16 input: 6,272 + 3,136 bytes
        assertEquals(6272, arena.peakTensors().get(0).bytes());
        assertEquals(3136, arena.peakTensors().get(1).bytes());
        for (ArenaReport.BufferUse use : arena.peakTensors()) {
            assertTrue(m.contains(String.format("'%s' %,d B;", use.name(), use.bytes())), m);
        }
    }

    @Test
    void flashOnlyOverrunLeavesRamOutOfTheMessage() {
        byte[] model = QuickRuns.helloWorld().exported().bytes();
        BudgetExceededException e = assertThrows(BudgetExceededException.class,
                () -> Budget.ram(2 * 1024).flash(1000).check(model));
        assertEquals(String.format("model does not fit its budget. Flash: the model is %,d bytes, allowed %,d (over "
                + "by %,d).", model.length, 1000, model.length - 1000), e.getMessage());
    }
}
