package dev.mote.exporter;

import dev.mote.dsl.ImageLayer;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's file size and arena come from the real export and micro-runtime's planner, and match what
 * micro-runtime plans for the real TFLite files of the same models.
 */
class ModelReportTest {

    static ModelSpec helloWorld() {
        return MicroModel.sequential("hello_world").input(1).dense(16).relu().dense(16).relu().dense(1).build();
    }

    static ModelSpec keywordSpotting() {
        return MicroModel.sequential("kws")
                .input(49, 10, 1)
                .conv2d(32, 10, 4).stride(2).padding(SAME).batchNorm().relu()
                .depthwiseConv2d(3, 3).padding(SAME).batchNorm().relu()
                .conv2d(32, 1, 1).batchNorm().relu()
                .avgPool2d(25, 5)
                .flatten()
                .dense(12).softmax()
                .build();
    }

    static ModelSpec residual() {
        MicroModel g = MicroModel.graph("kws_res");
        ImageLayer x = g.input(49, 10, 1).conv2d(16, 3, 3).padding(SAME).relu();
        ImageLayer y = x.conv2d(16, 3, 3).padding(SAME).batchNorm().relu()
                .conv2d(16, 3, 3).padding(SAME).batchNorm();
        return g.add(x, y).relu().globalAvgPool2d().dense(12).softmax().build();
    }

    static ModelSpec microSpeech() {
        return MicroModel.sequential("micro_speech")
                .input(1960)
                .reshape(49, 40, 1)
                .depthwiseConv2d(10, 8).depthMultiplier(8).stride(2).padding(SAME).relu()
                .flatten()
                .dense(4).softmax()
                .build();
    }

    @Test
    void theReportPrintsTheRealExportAndPlannerFigures() {
        ModelSpec spec = helloWorld();
        String text = ModelReport.of(spec).toString();
        byte[] exported = TfliteExporter.export(spec, PlaceholderParameters.of(spec)).bytes();
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport report = ArenaReport.of(exported, target);
            assertTrue(text.contains(String.format(Locale.ROOT, "%,d B used", report.usedBytes())), text);
            MicroInterpreter interpreter = new MicroInterpreter(exported, OpResolver.allBuiltins(),
                    report.minimumArenaBytes(), target);
            interpreter.allocateTensors();
            assertEquals(report.usedBytes(), interpreter.arenaUsedBytes());
        }
        assertTrue(text.contains(String.format(Locale.ROOT, "Model (.tflite):          %,d B", exported.length)),
                text);
        assertTrue(text.startsWith(spec.summary().table(List.of()).split("Total params")[0]), text);
        assertFalse(text.contains("n/a"), text);
        System.out.println(text);
    }

    @Test
    void helloWorldFigures() {
        ModelReport r = ModelReport.of(helloWorld());
        for (ArenaTarget target : ArenaTarget.values()) {
            // two 16-byte slots: each layer's input and output (the 1-byte tensors round up to 16)
            assertEquals(32, r.arena(target).headBytes(), target.name());
        }
        assertTrue(r.modelBytes() > r.summary().flashBytes());
        assertEquals(List.of(ArenaTarget.HOST_64, ArenaTarget.CORTEX_M), r.targets());
    }

    @Test
    void keywordSpottingFigures() {
        ModelReport r = ModelReport.of(keywordSpotting());
        for (ArenaTarget target : ArenaTarget.values()) {
            // two 25x5x32 int8 tensors (4,000 bytes each) are alive together from the depthwise layer on
            assertEquals(8000, r.arena(target).headBytes(), target.name());
        }
    }

    @Test
    void graphModelsAreReportedToo() {
        ModelReport r = ModelReport.of(residual(), ArenaTarget.CORTEX_M);
        assertEquals(List.of(ArenaTarget.CORTEX_M), r.targets());
        assertTrue(r.arena(ArenaTarget.CORTEX_M).usedBytes() > 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.arena(ArenaTarget.HOST_64));
        assertTrue(e.getMessage().contains("ModelReport.of(spec, ArenaTarget.HOST_64)"), e.getMessage());
        assertTrue(r.toString().contains("Arena CORTEX_M:"), r.toString());
        assertFalse(r.toString().contains("Arena HOST_64:"), r.toString());
    }

    @Test
    void aReportOfATrainedExportUsesThoseBytes() {
        ModelSpec spec = helloWorld();
        ExportedModel exported = TfliteExporter.export(spec, new RandomParameters(spec, 7));
        ModelReport r = ModelReport.of(spec, exported);
        assertEquals(exported.size(), r.modelBytes());
        assertEquals(exported.arenaReport(ArenaTarget.CORTEX_M), r.arena(ArenaTarget.CORTEX_M));
        ExportException wrongSpec = assertThrows(ExportException.class,
                () -> ModelReport.of(keywordSpotting(), exported));
        assertTrue(wrongSpec.getMessage().contains("was not exported from spec 'kws'"), wrongSpec.getMessage());
        ExportedModel floats = TfliteExporter.export(spec, new RandomParameters(spec, 7), ExportOptions.float32());
        ExportException notInt8 = assertThrows(ExportException.class, () -> ModelReport.of(spec, floats));
        assertTrue(notInt8.getMessage().contains("ExportOptions.int8()"), notInt8.getMessage());
    }

    @Test
    void arenaFromTheSpecEqualsTheArenaOfTheRealFile() {
        byte[] real = ReferenceModels.bytes("hello_world_int8.tflite");
        ModelReport report = ModelReport.of(helloWorld());
        for (ArenaTarget target : ArenaTarget.values()) {
            assertSameArena(planned(real, target), report.arena(target));
        }
    }

    @Test
    void microSpeechArenaFromTheSpecEqualsTheArenaOfTheRealFile() {
        byte[] real = ReferenceModels.bytes("micro_speech_quantized.tflite");
        ModelReport report = ModelReport.of(microSpeech());
        for (ArenaTarget target : ArenaTarget.values()) {
            // the reshaped input (1,968 aligned) and the depthwise output (4,000) at once; a kept flatten would add
            // a second 4,000-byte tensor alive with the depthwise output (8,000)
            assertEquals(5968, planned(real, target).headBytes());
            assertSameArena(planned(real, target), report.arena(target));
        }
    }

    /** The arena micro-runtime's interpreter plans for {@code bytes}, every kernel prepared. */
    private static ArenaReport planned(byte[] bytes, ArenaTarget target) {
        int needed = ArenaReport.of(bytes, target).minimumArenaBytes();
        MicroInterpreter interpreter = new MicroInterpreter(bytes, OpResolver.allBuiltins(), needed, target);
        interpreter.allocateTensors();
        return interpreter.arenaReport();
    }

    /** Equal arena figures (the reports also name tensors, which differ between the files). */
    private static void assertSameArena(ArenaReport expected, ArenaReport actual) {
        String target = expected.target().name();
        assertEquals(expected.headBytes(), actual.headBytes(), target + " head");
        assertEquals(expected.tailBytes(), actual.tailBytes(), target + " tail");
        assertEquals(expected.minimumArenaBytes(), actual.minimumArenaBytes(), target + " smallest arena");
        assertEquals(expected.peakAllocationBytes(), actual.peakAllocationBytes(), target + " peak allocation");
    }
}
