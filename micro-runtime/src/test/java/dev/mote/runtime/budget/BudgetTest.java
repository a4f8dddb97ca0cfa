package dev.mote.runtime.budget;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetTest {

    @Test
    void helloWorldFitsTwoKilobytesOfRamAndFourOfFlashOnCortexM() {
        byte[] model = ReferenceModels.bytes("hello_world_int8.tflite");
        assertDoesNotThrow(() -> Budget.ram(2 * 1024).flash(4 * 1024).target(ArenaTarget.CORTEX_M).check(model));
    }

    @Test
    void tooSmallBudgetSaysNeededAllowedOverageAndLargestTensors() {
        byte[] model = ReferenceModels.bytes("micro_speech_quantized.tflite");
        BudgetExceededException e = assertThrows(BudgetExceededException.class,
                () -> Budget.ram(4 * 1024).flash(16 * 1024).target(ArenaTarget.CORTEX_M).check(model));
        String m = e.getMessage();
        // real TFLM's smallest Cortex-M arena for micro_speech is 6,800 bytes; the file is 18,800 bytes
        assertTrue(m.contains("needs 6,800 bytes of arena on CORTEX_M, allowed 4,096 (over by 2,704)"), m);
        assertTrue(m.contains("Flash: the model is 18,800 bytes, allowed 16,384 (over by 2,416)"), m);
        assertTrue(m.contains("largest tensors alive at the peak"), m);
    }

    @Test
    void theMessageHasTheSameDigitsUnderAGermanDefaultLocale() {
        byte[] model = ReferenceModels.bytes("micro_speech_quantized.tflite");
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            BudgetExceededException e = assertThrows(BudgetExceededException.class,
                    () -> Budget.ram(4 * 1024).flash(16 * 1024).target(ArenaTarget.CORTEX_M).check(model));
            assertTrue(e.getMessage().contains("needs 6,800 bytes of arena on CORTEX_M, allowed 4,096 (over by 2,704)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Flash: the model is 18,800 bytes"), e.getMessage());
        } finally {
            Locale.setDefault(saved);
        }
    }
}
