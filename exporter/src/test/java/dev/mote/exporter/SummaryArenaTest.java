package dev.mote.exporter;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary's arena figures come from the real export and planner (the registered estimator). */
class SummaryArenaTest {

    @Test
    void summaryUsesTheRegisteredExporterEstimator() {
        ModelSpec spec = MicroModel.sequential("hello_world").input(1).dense(16).relu().dense(16).relu().dense(1)
                .build();
        String text = spec.summary().toString();
        byte[] exported = TfliteExporter.export(spec, PlaceholderParameters.of(spec)).bytes();
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport report = ArenaReport.of(exported, target);
            assertTrue(text.contains(String.format("%,d B used", report.usedBytes())), text);
            MicroInterpreter interpreter = new MicroInterpreter(exported, OpResolver.allBuiltins(),
                    report.minimumArenaBytes(), target);
            interpreter.allocateTensors();
            assertEquals(report.usedBytes(), interpreter.arenaUsedBytes());
        }
        assertTrue(text.contains(String.format("%,d B", exported.length)), text);
        System.out.println(text);
    }
}
