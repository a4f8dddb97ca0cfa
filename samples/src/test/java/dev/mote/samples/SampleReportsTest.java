package dev.mote.samples;

import dev.mote.exporter.ModelReport;
import dev.mote.runtime.ArenaTarget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the samples print before training: the report with real file-size and arena figures, no "n/a". */
class SampleReportsTest {

    @Test
    void helloWorldPrintsRealFigures() {
        ModelReport report = ModelReport.of(HelloWorldSine.spec());
        String text = report.toString();
        assertFalse(text.contains("n/a"), text);
        assertTrue(text.contains("Model (.tflite):"), text);
        assertTrue(text.contains("Arena CORTEX_M:           676 B used (tensors 32 + TFLM bookkeeping 644)"), text);
        assertEquals(676, report.arena(ArenaTarget.CORTEX_M).usedBytes());
    }

    @Test
    void fashionMnistPrintsRealFigures() {
        String text = ModelReport.of(FashionMnistCnn.spec(16)).toString();
        assertFalse(text.contains("n/a"), text);
        assertTrue(text.contains("Arena HOST_64:") && text.contains("Arena CORTEX_M:"), text);
    }
}
