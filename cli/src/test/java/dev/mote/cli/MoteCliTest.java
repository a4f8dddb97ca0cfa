package dev.mote.cli;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoteCliTest {

    private static String model(String name) {
        return ReferenceModels.require(name).toString();
    }

    @Test
    void inspectListsOperatorsTensorsArenaAndResolver() {
        CliRun r = CliRun.of("inspect", model("micro_speech_quantized.tflite"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("flash     18,800 bytes"), r.out());
        assertTrue(r.out().contains("DEPTHWISE_CONV_2D              3"), r.out());
        assertTrue(r.out().contains("per-channel(8 on axis 3)"), r.out());
        assertTrue(r.out().matches("(?s).*host64\\s+5,968\\s+1,344\\s+7,312\\s+7,304.*"), r.out());
        assertTrue(r.out().matches("(?s).*cortex-m\\s+5,968\\s+820\\s+6,788\\s+6,800.*"), r.out());
        assertTrue(r.out().contains("static tflite::MicroMutableOpResolver<4> op_resolver;"), r.out());
        assertTrue(r.out().contains("op_resolver.AddDepthwiseConv2D();"), r.out());
        assertTrue(r.out().contains("op_resolver.AddSoftmax();"), r.out());
    }

    @Test
    void inspectAndBenchPrintTheSameDigitsUnderAGermanDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            CliRun inspect = CliRun.of("inspect", model("micro_speech_quantized.tflite"));
            assertEquals(0, inspect.exitCode(), inspect.err());
            assertTrue(inspect.out().contains("flash     18,800 bytes"), inspect.out());
            assertTrue(inspect.out().matches("(?s).*cortex-m\\s+5,968\\s+820\\s+6,788\\s+6,800.*"), inspect.out());
            CliRun bench = CliRun.of("bench", model("hello_world_int8.tflite"), "--iterations", "20", "--warmup", "5");
            assertEquals(0, bench.exitCode(), bench.err());
            assertTrue(bench.out().matches("(?s).*mean\\s+[0-9,]+\\.[0-9]{2} us.*"), bench.out());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void resolverMethodNamesFollowTflm() {
        assertEquals("AddConv2D", BuiltinOperator.CONV_2D.resolverMethod());
        assertEquals("AddAveragePool2D", BuiltinOperator.AVERAGE_POOL_2D.resolverMethod());
        assertEquals("AddRelu6", BuiltinOperator.RELU6.resolverMethod());
        assertEquals("AddPadV2", BuiltinOperator.PADV2.resolverMethod());
        assertEquals("AddHardSwish", BuiltinOperator.HARD_SWISH.resolverMethod());
    }

    @Test
    void runPrintsOneJsonLinePerInputMatchingTheInterpreter() {
        CliRun r = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "1.57", "--input", "-0.5", "--json");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        byte[] bytes = ReferenceModels.bytes("hello_world_int8.tflite");
        float[] xs = {1.57f, -0.5f};
        for (int k = 0; k < 2; k++) {
            MicroInterpreter m = new MicroInterpreter(bytes, OpResolver.allBuiltins(), 4096);
            m.allocateTensors();
            m.input(0).setFloats(xs[k]);
            m.invoke();
            int q = m.output(0).getInt8(0);
            String expected = "{\"outputs\":[{\"name\":\"StatefulPartitionedCall:0\",\"type\":\"INT8\",\"shape\":[1,1],"
                    + "\"raw\":[" + q + "],\"values\":[" + m.output(0).dequantize(0) + "]}],\"arenaUsedBytes\":676}";
            assertEquals(expected, lines.get(k));
        }
    }

    @Test
    void runRawInputEqualsTflmGoldenOutput(@TempDir Path dir) throws IOException {
        List<String> golden = ReferenceModels.goldenLines("hello_world_int8_golden.csv");
        for (String row : List.of(golden.get(1), golden.get(100), golden.get(256))) {
            String[] cols = row.split(",");
            Path raw = dir.resolve("in.bin");
            Files.write(raw, new byte[] {(byte) Integer.parseInt(cols[0])});
            CliRun r = CliRun.of("run", model("hello_world_int8.tflite"), "--input-raw", raw.toString(), "--json",
                    "--target", "host64");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("\"raw\":[" + cols[3] + "]"), row + " -> " + r.out());
            assertTrue(r.out().contains("\"arenaUsedBytes\":1184"), r.out());
        }
    }

    @Test
    void microSpeechRunEqualsTflmGoldenOutput(@TempDir Path dir) throws IOException {
        List<String> golden = ReferenceModels.goldenLines("micro_speech_quantized_golden.csv");
        for (String row : List.of(golden.get(1), golden.get(2), golden.get(64))) {
            String[] cols = row.split(",");
            int seed = Integer.parseInt(cols[0]);
            byte[] input = new byte[1960];
            int s = seed;
            for (int i = 0; i < input.length; i++) {
                s = s * 1664525 + 1013904223;
                input[i] = (byte) (s >>> 24);
            }
            Path raw = dir.resolve("seed" + seed + ".bin");
            Files.write(raw, input);
            CliRun r = CliRun.of("run", model("micro_speech_quantized.tflite"), "--input-raw", raw.toString(),
                    "--json");
            assertEquals(0, r.exitCode(), r.err());
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                expected.append(i == 0 ? "" : ",")
                        .append((byte) Integer.parseInt(cols[1].substring(2 * i, 2 * i + 2), 16));
            }
            assertTrue(r.out().contains("\"raw\":[" + expected + "]"), "seed " + seed + ": " + r.out());
            assertTrue(r.out().contains("\"arenaUsedBytes\":6788"), r.out());
        }
    }

    @Test
    void runTextOutputShowsRawAndDequantizedValues() {
        CliRun r = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "0");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("output 0 'StatefulPartitionedCall:0' INT8[1, 1]"), r.out());
        assertTrue(r.out().contains("raw    ["), r.out());
        assertTrue(r.out().contains("values ["), r.out());
    }

    @Test
    void arenaJsonHasTheTflmFigures() {
        CliRun r = CliRun.of("arena", model("micro_speech_quantized.tflite"), "--target", "host64", "--json");
        assertEquals(0, r.exitCode(), r.err());
        String json = r.out().strip();
        assertFalse(json.contains("\n"));
        assertTrue(json.contains("\"target\":\"host64\",\"headBytes\":5968,\"tailBytes\":1344,"
                + "\"arenaUsedBytes\":7312,\"minimumArenaBytes\":7304"), json);
        assertTrue(json.contains("\"peakOperator\":1,\"peakTensors\":[{\"name\":\"Relu\",\"tensor\":2,\"bytes\":4000,"
                + "\"offset\":0}"), json);
        assertTrue(json.contains("\"exact\":true"), json);
    }

    @Test
    void arenaTextCoversBothTargetsByDefault() {
        CliRun r = CliRun.of("arena", model("hello_world_float.tflite"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("target host64") && r.out().contains("target cortex-m"), r.out());
        assertTrue(r.out().contains("1,216 bytes") && r.out().contains("736 bytes"), r.out());
    }

    @Test
    void benchReportsMeanAndMedian() {
        CliRun r = CliRun.of("bench", model("hello_world_int8.tflite"), "--iterations", "50", "--warmup", "10",
                "--profile");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("mean ") && r.out().contains("median "), r.out());
        assertTrue(r.out().contains("FULLY_CONNECTED"), r.out());
    }

    @Test
    void missingFileIsOneLineWithExitCode1() {
        CliRun r = CliRun.of("inspect", "does-not-exist.tflite");
        assertEquals(1, r.exitCode());
        assertTrue(r.oneLineError(), r.err());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        CliRun r = CliRun.of("--verbose", "inspect", "does-not-exist.tflite");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("\tat "), r.err());
        CliRun sub = CliRun.of("inspect", "does-not-exist.tflite", "--verbose");
        assertTrue(sub.err().contains("\tat "), sub.err());
    }

    @Test
    void invalidModelBytesAreOneLine(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.tflite");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        for (String cmd : List.of("inspect", "arena", "bench")) {
            CliRun r = CliRun.of(cmd, junk.toString());
            assertEquals(1, r.exitCode(), cmd);
            assertTrue(r.oneLineError(), r.err());
        }
    }

    @Test
    void wrongInputCountAndBadNumbersAreOneLine() {
        CliRun count = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "1,2");
        assertEquals(1, count.exitCode());
        assertTrue(count.oneLineError() && count.err().contains("take 1 (input 0 'serving_default_dense_input:0': "
                + "INT8[1, 1])"), count.err());
        CliRun nan = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "abc");
        assertEquals(1, nan.exitCode());
        assertTrue(nan.oneLineError() && nan.err().contains("'abc' is not a number"), nan.err());
    }

    @Test
    void tooSmallArenaIsOneLine() {
        CliRun r = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "1", "--arena", "1067");
        assertEquals(1, r.exitCode());
        assertTrue(r.oneLineError() && r.err().contains("needs 1068 bytes, the arena has 1067"), r.err());
    }

    @Test
    void unsupportedOperatorIsOneLine(@TempDir Path dir) throws IOException {
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.FLOAT32, new int[] {4}, Quantization.NONE);
        int y = b.addTensor("y", TensorType.FLOAT32, new int[] {4}, Quantization.NONE);
        b.addOperator(BuiltinOperator.FLOOR, 1, BuiltinOptions.NONE, new int[] {x}, new int[] {y});
        b.addOutput(y);
        Path file = dir.resolve("floor.tflite");
        Files.write(file, b.toBytes());
        CliRun r = CliRun.of("run", file.toString(), "--input", "1,2,3,4");
        assertEquals(1, r.exitCode());
        assertTrue(r.oneLineError() && r.err().contains("FLOOR"), r.err());
        CliRun arena = CliRun.of("arena", file.toString(), "--target", "cortex-m");
        assertEquals(0, arena.exitCode());
        assertTrue(arena.out().contains("NOT EXACT: upper-bound estimate for operator 0 (FLOOR)"), arena.out());
        CliRun exact = CliRun.of("arena", model("hello_world_int8.tflite"), "--target", "cortex-m");
        assertTrue(exact.out().contains("  exact ("), exact.out());
    }

    @Test
    void usageErrorsExitWith2() {
        CliRun none = CliRun.of();
        assertEquals(2, none.exitCode());
        assertTrue(none.oneLineError(), none.err());
        CliRun target = CliRun.of("arena", model("hello_world_int8.tflite"), "--target", "risc-v");
        assertEquals(2, target.exitCode());
        assertTrue(target.oneLineError() && target.err().contains("host64 or cortex-m"), target.err());
        CliRun both = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "1", "--input-raw", "x");
        assertEquals(2, both.exitCode());
        assertTrue(both.oneLineError(), both.err());
        CliRun neither = CliRun.of("run", model("hello_world_int8.tflite"));
        assertEquals(2, neither.exitCode());
        assertTrue(neither.oneLineError(), neither.err());
    }

    @Test
    void targetNamesParse() {
        assertEquals(ArenaTarget.CORTEX_M, new TargetConverter().convert("Cortex-M"));
        assertEquals(ArenaTarget.HOST_64, new TargetConverter().convert("host_64"));
    }
}
