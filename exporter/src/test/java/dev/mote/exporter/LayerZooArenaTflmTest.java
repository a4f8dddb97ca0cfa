package dev.mote.exporter;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.tflm.ArenaComparison;
import dev.mote.runtime.tflm.DeviceCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

/**
 * Mote's arena figures for the export of every DSL layer kind ({@link LayerZoo}) against real TFLM:
 * {@code arena_used_bytes()} and the smallest arena that allocates equal {@code tflm_run}'s on x86-64 (int8, int8
 * with float I/O and float32 exports) and {@code tflm_run_cm}'s on Cortex-M (the int8 export; all three with
 * {@code -Dmote.tflm.arena.zoo.cm.all=true}, about 4 s per model:
 * {@code mvn -B -o -pl exporter -am test -Dmote.fuzz=0 -Dtest=LayerZooArenaTflmTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmote.tflm.arena.zoo.cm.all=true}).
 */
class LayerZooArenaTflmTest {
    private static final List<String> KINDS = List.of("int8", "int8 float I/O", "float32");

    static List<LayerZoo.Case> cases() {
        return LayerZoo.all();
    }

    private static void check(ArenaTarget target, LayerZoo.Case c, List<String> kinds) {
        RealTflm tflm = RealTflm.require(target);
        List<DeviceCase> models = new ArrayList<>();
        for (String kind : kinds) {
            models.add(new DeviceCase(c.name() + " " + kind, 0, "export", LayerZooTflmTest.export(c, kind),
                    List.of()));
        }
        ArenaComparison.assertAllIdentical(c.name() + " exports", ArenaComparison.runAll(tflm, models));
    }

    /** Writes every export to {@code -Dmote.arena.dump=DIR}, to re-measure by hand. */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "mote.arena.dump", matches = ".+")
    void dumpExports() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of(
                System.getProperty("mote.arena.dump")));
        for (LayerZoo.Case c : cases()) {
            for (String kind : KINDS) {
                String file = "zoo_" + c.name() + "_" + kind.replace(" ", "_").replace("/", "") + ".tflite";
                java.nio.file.Files.write(dir.resolve(file), LayerZooTflmTest.export(c, kind));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportArenaFiguresEqualTflmOnX86(LayerZoo.Case c) {
        check(ArenaTarget.HOST_64, c, KINDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportArenaFiguresEqualTflmOnCortexM(LayerZoo.Case c) {
        check(ArenaTarget.CORTEX_M, c, Boolean.getBoolean("mote.tflm.arena.zoo.cm.all") ? KINDS : List.of("int8"));
    }
}
