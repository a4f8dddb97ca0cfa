package dev.mote.samples;

import dev.mote.codegen.CortexMBuild;
import dev.mote.codegen.GeneratedC;
import dev.mote.codegen.NativeBuild;
import dev.mote.exporter.ExportedModel;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The samples' exports as standalone C: compiled with gcc they give real TFLM's output bytes on seeded random inputs;
 * as a Cortex-M3 firmware on QEMU they give the same bytes, and the firmware's RAM and flash are printed beside
 * TFLM's Cortex-M arena and the model's bytes.
 */
class SamplesCodegenTest {
    private static final int ARENA = 64 * 1024;

    @Test
    void helloWorldAsCIsIdenticalToTflm(@TempDir Path work) {
        check(work, "hello_world", QuickRuns.helloWorld().exported());
    }

    @Test
    void fashionMnistAsCIsIdenticalToTflm(@TempDir Path work) {
        check(work, "fashion_mnist", QuickRuns.fashion().qatModel());
    }

    private static void check(Path work, String name, ExportedModel exported) {
        NativeBuild.requireGcc();
        RealTflm host = RealTflm.require(ArenaTarget.HOST_64);
        byte[] model = exported.bytes();
        Random random = new Random(5);
        List<GeneratedC> programs = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            programs.add(exported.generatedC(name + "_" + k));
            byte[] in = new byte[(int) programs.get(k).inputBytes()];
            random.nextBytes(in);
            inputs.add(in);
        }
        List<byte[]> outputs = NativeBuild.run(work.resolve("host"), programs, inputs);
        for (int k = 0; k < inputs.size(); k++) {
            RealTflm.Run run = host.run(model, ARENA, inputs.get(k), false);
            assertTrue(run.invoked(), run.log());
            assertArrayEquals(run.output(), Arrays.copyOf(outputs.get(k), run.output().length), name + " input " + k);
        }
        if (!RealTflm.available(ArenaTarget.CORTEX_M)) {
            return;
        }
        CortexMBuild.require();
        RealTflm cm = RealTflm.require(ArenaTarget.CORTEX_M);
        GeneratedC c = exported.generatedC(name);
        MicroInterpreter mote = new MicroInterpreter(model, OpResolver.allBuiltins(), ARENA);
        mote.allocateTensors();
        mote.input(0).copyFrom(inputs.get(0));
        mote.invoke();
        byte[] expected = mote.output(0).toByteArray();
        byte[] onDevice = CortexMBuild.run(work.resolve("cm"), c, inputs.get(0));
        assertArrayEquals(expected, Arrays.copyOf(onDevice, expected.length), name + " generated C on Cortex-M");
        RealTflm.Run run = cm.run(model, ARENA, inputs.get(0), false);
        assertArrayEquals(run.output(), expected, name + " TFLM on Cortex-M");
        CortexMBuild.Footprint f = CortexMBuild.footprint(work.resolve("cm"), c);
        CortexMBuild.report(name, model.length, c, f, run.arenaUsedBytes());
    }
}
