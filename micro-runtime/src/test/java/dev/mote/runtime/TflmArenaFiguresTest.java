package dev.mote.runtime;

import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mote's arena report against the figures measured on real TFLM builds (tflite-micro 90b983c2, reference kernels):
 * the x86-64 host build and the arm-none-eabi Cortex-M build (../shared/models/README.md).
 */
class TflmArenaFiguresTest {

    @ParameterizedTest(name = "{0} on {1}: used {2}, smallest {3}")
    @CsvSource({
            "hello_world_int8.tflite,       HOST_64,  1184, 1608, 32",
            "hello_world_float.tflite,      HOST_64,  1216, 1608, 128",
            "micro_speech_quantized.tflite, HOST_64,  7312, 7304, 5968",
            "hello_world_int8.tflite,       CORTEX_M,  676, 1068, 32",
            "hello_world_float.tflite,      CORTEX_M,  736, 1068, 128",
            "micro_speech_quantized.tflite, CORTEX_M, 6788, 6800, 5968",
    })
    void reportEqualsRealTflm(String model, ArenaTarget target, int usedBytes, int smallestArena, int head) {
        ArenaReport report = ArenaReport.of(ReferenceModels.bytes(model), target);
        assertEquals(usedBytes, report.usedBytes(), () -> "arena_used_bytes\n" + report.toText());
        assertEquals(smallestArena, report.minimumArenaBytes(), () -> "smallest arena\n" + report.toText());
        assertEquals(head, report.headBytes(), () -> "head\n" + report.toText());
        assertTrue(report.exact(), report::toText);
    }
}
