package dev.mote.runtime.tflm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the first models of every arena variant to {@code -Dmote.arena.dump=DIR} (one {@code .tflite} per model), to
 * re-measure arena figures by hand with {@code mote arena} and {@code tflm_run}. Skipped without the property.
 */
class ArenaModelsDump {
    @Test
    @EnabledIfSystemProperty(named = "mote.arena.dump", matches = ".+")
    void dumpModels() throws IOException {
        Path dir = Files.createDirectories(Path.of(System.getProperty("mote.arena.dump")));
        int n = Integer.getInteger("mote.arena.dump.cases", 2);
        List<Variant> variants = new java.util.ArrayList<>(CortexMOutputsTflmTest.variants().toList());
        variants.addAll(FootprintCases.footprintOnly());
        for (Variant v : variants) {
            for (int i = 1; i <= n; i++) {
                DeviceCase c = v.caseAt(i);
                Files.write(dir.resolve(v.name().replace(' ', '_') + "_seed" + c.seed() + ".tflite"), c.model());
            }
        }
    }
}
