package dev.mote.cli;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.exporter.ExportOptions;
import dev.mote.exporter.PlaceholderParameters;
import dev.mote.exporter.TfliteExporter;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code mote} command on a 16x8 export (int16 activations, int8 weights, int64 biases): {@code arena} prints
 * real TFLM's figures on each target and {@code run} quantizes its decimal input to int16 and prints the output TFLM
 * computes for the same bytes.
 */
class Int16x8CliTest {

    private static final ModelSpec SINE = MicroModel.sequential("sine16")
            .input(1).dense(16).relu().dense(16).relu().dense(1).build();

    @ParameterizedTest
    @EnumSource(ArenaTarget.class)
    void arenaAndRunOfA16x8ModelAreRealTflms(ArenaTarget target, @TempDir Path dir) throws IOException {
        RealTflm tflm = RealTflm.require(target);
        byte[] model = TfliteExporter.export(SINE, PlaceholderParameters.of(SINE), ExportOptions.int16x8()).bytes();
        Path file = Files.write(dir.resolve("sine16.tflite"), model);
        String name = target == ArenaTarget.CORTEX_M ? "cortex-m" : "host64";

        MicroInterpreter m = new MicroInterpreter(model, OpResolver.allBuiltins(), 4096, target);
        m.allocateTensors();
        m.input(0).setFloats(0.75f);
        RealTflm.Run run = tflm.run(model, 4096, m.input(0).toByteArray(), true);
        assertTrue(run.allocated() && run.invoked(), run.log());

        CliRun arena = CliRun.of("arena", file.toString(), "--target", name, "--json");
        assertEquals(0, arena.exitCode(), arena.err());
        assertTrue(arena.out().contains("\"arenaUsedBytes\":" + run.arenaUsedBytes() + ",\"minimumArenaBytes\":"
                + run.smallestArena()), "TFLM: used " + run.arenaUsedBytes() + ", smallest " + run.smallestArena()
                + "\n" + arena.out());

        CliRun r = CliRun.of("run", file.toString(), "--input", "0.75", "--json", "--target", name);
        assertEquals(0, r.exitCode(), r.err());
        short tflmOut = (short) ((run.output()[0] & 0xff) | (run.output()[1] << 8));
        assertTrue(r.out().contains("\"type\":\"INT16\",\"shape\":[1,1],\"raw\":[" + tflmOut + "]"),
                "TFLM computed " + tflmOut + "\n" + r.out());
    }
}
