package dev.mote.codegen;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TFLM's own reference models (made by the TensorFlow tool chain, {@code ../shared/models}) as generated C: on the
 * host (gcc -O2) and on a Cortex-M3 (arm-none-eabi-gcc -Os, QEMU) the output bytes are real TFLM's on seeded random
 * inputs, and the firmware's RAM and flash are printed beside TFLM's arena and the model's bytes.
 */
class ReferenceModelsCodegenTest {
    private static final int INPUTS = 5;

    @ParameterizedTest
    @ValueSource(strings = {"hello_world_int8.tflite", "micro_speech_quantized.tflite"})
    void generatedCGivesTflmsOutputsOnTheHost(String file, @TempDir Path work) {
        NativeBuild.requireGcc();
        byte[] model = ReferenceModels.bytes(file);
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        List<GeneratedC> programs = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        Random random = new Random(7);
        for (int k = 0; k < INPUTS; k++) {
            programs.add(CCodeGenerator.forModel(model).name("m" + k).generate());
            byte[] in = new byte[(int) programs.get(k).inputBytes()];
            random.nextBytes(in);
            inputs.add(in);
        }
        List<byte[]> outputs = NativeBuild.run(work, programs, inputs);
        for (int k = 0; k < INPUTS; k++) {
            RealTflm.Run run = tflm.run(model, 64 * 1024, inputs.get(k), false);
            assertTrue(run.invoked(), run.log());
            assertArrayEquals(run.output(), Arrays.copyOf(outputs.get(k), run.output().length), file + " input " + k);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello_world_int8.tflite", "micro_speech_quantized.tflite"})
    void generatedCRunsOnACortexMInLessRamThanTflm(String file, @TempDir Path work) {
        CortexMBuild.require();
        byte[] model = ReferenceModels.bytes(file);
        RealTflm cm = RealTflm.require(ArenaTarget.CORTEX_M);
        GeneratedC c = CCodeGenerator.forModel(model).name("model").generate();
        byte[] input = new byte[(int) c.inputBytes()];
        new Random(11).nextBytes(input);
        MicroInterpreter mote = new MicroInterpreter(model, OpResolver.allBuiltins(), 64 * 1024);
        mote.allocateTensors();
        mote.input(0).copyFrom(input);
        mote.invoke();
        byte[] expected = mote.output(0).toByteArray();
        byte[] onDevice = CortexMBuild.run(work, c, input);
        RealTflm.Run run = cm.run(model, 64 * 1024, input, false);
        assertArrayEquals(run.output(), expected, "micro-runtime vs TFLM on Cortex-M");
        assertArrayEquals(expected, Arrays.copyOf(onDevice, expected.length), "generated C on Cortex-M (QEMU)");
        CortexMBuild.Footprint f = CortexMBuild.footprint(work, c);
        CortexMBuild.report(file, model.length, c, f, run.arenaUsedBytes());
    }
}
