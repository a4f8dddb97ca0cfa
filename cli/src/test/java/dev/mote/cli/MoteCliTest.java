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
        CliRun r = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "1.57", "--input", "0.5", "--json");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        byte[] bytes = ReferenceModels.bytes("hello_world_int8.tflite");
        float[] xs = {1.57f, 0.5f};
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
    void wrongInputCountAndBadNumbersAreOneLineUsageErrors() {
        CliRun count = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "1,2");
        assertEquals(2, count.exitCode());
        assertTrue(count.oneLineError() && count.err().contains("take 1 (input 0 'serving_default_dense_input:0': "
                + "INT8[1, 1])"), count.err());
        CliRun nan = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "abc");
        assertEquals(2, nan.exitCode());
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
    void badOptionValuesAreUsageErrorsNamingTheOptionAndWhatIsAllowed() {
        String hello = model("hello_world_int8.tflite");
        String[][] cases = {
            {"--arena must be a size in bytes >= 1, got -5", "run", hello, "--input", "1", "--arena", "-5"},
            {"--arena must be a size in bytes >= 1, got 0", "run", hello, "--input", "1", "--arena", "0"},
            {"--arena must be a size in bytes >= 1, got -1", "bench", hello, "--arena", "-1"},
            {"--warmup must be a count >= 0, got -3", "bench", hello, "--iterations", "5", "--warmup", "-3"},
            {"--iterations must be a count >= 1, got 0", "bench", hello, "--iterations", "0"},
            {"--iterations must be a count >= 1, got -2", "bench", hello, "--iterations", "-2"},
            // checked before the model is read
            {"--arena must be a size in bytes >= 1, got -5", "run", "no-such.tflite", "--input", "1", "--arena", "-5"},
            {"'risc-v'", "arena", hello, "--target", "risc-v"},
            {"--iterations", "bench", hello, "--iterations", "many"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.oneLineError() && r.err().contains(c[0]), r.err());
            assertTrue(r.err().contains("(see 'mote " + args[0] + " --help')"), r.err());
        }
        CliRun zeroWarmup = CliRun.of("bench", hello, "--iterations", "3", "--warmup", "0");
        assertEquals(0, zeroWarmup.exitCode(), zeroWarmup.err());
        assertTrue(zeroWarmup.out().contains("3 timed after 0 warm-up"), zeroWarmup.out());
    }

    @Test
    void inputValuesTheInputTensorCannotHoldAreRefusedNamingTensorElementValueAndRange() {
        String hello = model("hello_world_int8.tflite");
        // int8, scale 0.024480116, zero point -128: (-128 + 128) * s = 0 .. (127 + 128) * s = 6.2424293, and half a
        // step (0.01224) more on each side rounds to the end
        String range = "INT8 with scale 0.024480116 and zero point -128 takes 0.0 to 6.2424293 (its raw range "
                + "-128..127 dequantized";
        for (String bad : List.of("NaN", "nan", "Infinity", "-inf", "1e30", "-0.5", "6.26", "-0.013")) {
            CliRun r = CliRun.of("run", hello, "--input", bad);
            assertEquals(2, r.exitCode(), bad + ": " + r.err());
            assertTrue(r.oneLineError(), r.err());
            assertTrue(r.err().contains("--input: element 0 of input 0 'serving_default_dense_input:0' is " + bad
                    + ", "), r.err());
            assertTrue(r.err().contains(range), r.err());
        }
        for (String text : List.of("0x1p3", "1f", "1d", "")) {
            CliRun r = CliRun.of("run", hello, "--input", text);
            assertEquals(2, r.exitCode(), text + ": " + r.err());
        }
        CliRun edges = CliRun.of("run", hello, "--input", "-0.012", "--input", "6.25", "--json");
        assertEquals(0, edges.exitCode(), edges.err());
        CliRun floatNan = CliRun.of("run", model("hello_world_float.tflite"), "--input", "1e39");
        assertEquals(2, floatNan.exitCode(), floatNan.err());
        assertTrue(floatNan.err().contains("is 1e39, outside what it can hold; FLOAT32 takes finite values"),
                floatNan.err());
        CliRun floatOk = CliRun.of("run", model("hello_world_float.tflite"), "--input", "-100");
        assertEquals(0, floatOk.exitCode(), floatOk.err());
    }

    @Test
    void anUnquantizedIntegerInputTakesWholeNumbersInItsTypesRange(@TempDir Path dir) throws IOException {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("ids", TensorType.INT32, new int[] {1, 2}, Quantization.NONE);
        int shape = b.addInt32Constant("shape", new int[] {1}, new int[] {2}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.INT32, new int[] {2}, Quantization.NONE);
        b.addOperator(BuiltinOperator.RESHAPE, 1, new BuiltinOptions.Reshape(new int[] {2}), new int[] {in, shape},
                new int[] {out});
        b.addOutput(out);
        Path file = dir.resolve("ids.tflite");
        Files.write(file, b.toBytes());
        CliRun ok = CliRun.of("run", file.toString(), "--input", "2147483647,-7", "--json");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("\"raw\":[2147483647,-7]"), ok.out());
        for (String bad : List.of("1.5,2", "2147483648,0", "0,-3e9")) {
            CliRun r = CliRun.of("run", file.toString(), "--input", bad);
            assertEquals(2, r.exitCode(), bad + ": " + r.err());
            assertTrue(r.oneLineError() && r.err().contains("of input 0 'ids' is ")
                    && r.err().contains("INT32 without quantization takes whole numbers from -2147483648 to "
                    + "2147483647"), r.err());
        }
    }

    @Test
    void runShowsAShortSummaryOfLongInputs() {
        String values = String.join(",", java.util.Collections.nCopies(1960, "0"));
        CliRun r = CliRun.of("run", model("micro_speech_quantized.tflite"), "--input", values);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("--input 0, 0, 0, 0, 0, 0, 0, 0, ... (1960 values)\n"), r.out());
        assertTrue(r.out().length() < 400, r.out());
        CliRun shortOne = CliRun.of("run", model("hello_world_int8.tflite"), "--input", "1.5");
        assertTrue(shortOne.out().startsWith("--input 1.5\n"), shortOne.out());
    }

    @Test
    void anUnknownCommandListsTheCommandsAndExitsWith2() {
        List<String> names = Mote.commandNames(Mote.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter())));
        assertTrue(names.containsAll(List.of("inspect", "run", "arena", "bench", "codegen")), names.toString());
        assertFalse(names.contains("help"), names.toString());
        String commands = String.join(", ", names);
        CliRun r = CliRun.of("inpsect", "model.tflite");
        assertEquals(2, r.exitCode());
        assertEquals("mote: unknown command 'inpsect'; commands: " + commands + " (see 'mote --help')",
                r.err().strip());
        CliRun verbose = CliRun.of("--verbose", "frobnicate");
        assertEquals(2, verbose.exitCode());
        assertTrue(verbose.err().startsWith("mote: unknown command 'frobnicate'; commands: " + commands),
                verbose.err());
        CliRun none = CliRun.of();
        assertEquals(2, none.exitCode());
        assertEquals("mote: missing command; commands: " + commands + " (see 'mote --help')", none.err().strip());
        CliRun extra = CliRun.of("inspect", model("hello_world_int8.tflite"), "extra");
        assertEquals(2, extra.exitCode());
        assertFalse(extra.err().contains("unknown command"), extra.err());
    }

    @Test
    void inspectShowsTheMacsOfEachOperatorAndTheirTotal() {
        // Hello World 1 -> 16 -> 16 -> 1 by hand: 16 x 1 + 16 x 16 + 1 x 16 = 288
        CliRun hello = CliRun.of("inspect", model("hello_world_int8.tflite"));
        assertEquals(0, hello.exitCode(), hello.err());
        assertTrue(hello.out().contains("total MACs 288 per invocation\n"), hello.out());
        assertTrue(hello.out().matches("(?s).*\\n\\s+1\\s+FULLY_CONNECTED\\s+4\\s+256\\s.*"), hello.out());
        // micro_speech by hand: DEPTHWISE_CONV_2D [1, 49, 40, 1] -> [1, 25, 20, 8] with an 10 x 8 filter:
        // 25 * 20 * 8 outputs x 10 * 8 = 320,000; FULLY_CONNECTED 4,000 -> 4: 16,000; RESHAPE, SOFTMAX 0
        CliRun speech = CliRun.of("inspect", model("micro_speech_quantized.tflite"));
        assertTrue(speech.out().contains("total MACs 336,000 per invocation\n"), speech.out());
        assertTrue(speech.out().contains("DEPTHWISE_CONV_2D              3       320,000"), speech.out());
    }

    @Test
    void inspectJsonHasModelOperatorsTensorsArenaAndMacs() {
        CliRun r = CliRun.of("inspect", model("hello_world_int8.tflite"), "--json");
        assertEquals(0, r.exitCode(), r.err());
        String json = r.out().strip();
        assertFalse(json.contains("\n"), json);
        assertTrue(json.startsWith("{\"model\":\"" + model("hello_world_int8.tflite").replace("\\", "\\\\")
                + "\",\"fileBytes\":2704,"), json);
        assertTrue(json.contains("\"macs\":288,\"macsComplete\":true,\"subgraphs\":["), json);
        assertEquals(List.of(16L, 256L, 16L), opMacs(json));
        assertTrue(json.contains("{\"index\":0,\"op\":\"FULLY_CONNECTED\",\"version\":4,"), json);
        assertTrue(json.contains("\"name\":\"serving_default_dense_input:0\",\"type\":\"INT8\",\"shape\":[1,1],"
                + "\"quantization\":{\"scales\":[0.024480116],\"zeroPoints\":[-128],\"axis\":0},"
                + "\"storage\":\"arena\",\"bytes\":1}"), json);
        assertTrue(json.contains("\"storage\":\"flash\""), json);
        assertTrue(json.contains("{\"target\":\"cortex-m\",\"headBytes\":32,\"tailBytes\":644,\"arenaUsedBytes\":676,"
                + "\"minimumArenaBytes\":1068,"), json);
        assertTrue(json.contains("{\"target\":\"host64\",\"headBytes\":32,\"tailBytes\":1152,"
                + "\"arenaUsedBytes\":1184,\"minimumArenaBytes\":1608,"), json);
        assertTrue(json.contains("\"opResolver\":[\"static tflite::MicroMutableOpResolver<1> op_resolver;\","), json);
        assertTrue(json.endsWith(",\"warnings\":[],\"operatorsChecked\":true}"), json);
        assertEquals(json.chars().filter(c -> c == '{').count(), json.chars().filter(c -> c == '}').count());
        assertEquals(json.chars().filter(c -> c == '[').count(), json.chars().filter(c -> c == ']').count());
    }

    @Test
    void inspectCountsTheMacsTheDslSummaryShowsForAnExportedModel(@TempDir Path dir) {
        dev.mote.dsl.ModelSpec kws = dev.mote.dsl.MicroModel.sequential("kws")
                .input(49, 10, 1)
                .conv2d(32, 10, 4).stride(2).padding(dev.mote.vocabulary.Padding.SAME).batchNorm().relu()
                .depthwiseConv2d(3, 3).padding(dev.mote.vocabulary.Padding.SAME).batchNorm().relu()
                .conv2d(32, 1, 1).batchNorm().relu()
                .avgPool2d(25, 5)
                .flatten()
                .dense(12).softmax()
                .build();
        dev.mote.dsl.MicroModel g = dev.mote.dsl.MicroModel.graph("kws_res");
        dev.mote.dsl.ImageLayer x = g.input(49, 10, 1).conv2d(16, 3, 3).padding(dev.mote.vocabulary.Padding.SAME)
                .relu();
        dev.mote.dsl.ImageLayer y = x.conv2d(16, 3, 3).padding(dev.mote.vocabulary.Padding.SAME).batchNorm().relu()
                .conv2d(16, 3, 3).padding(dev.mote.vocabulary.Padding.SAME).batchNorm();
        dev.mote.dsl.ModelSpec residual = g.add(x, y).relu().globalAvgPool2d().dense(12).softmax().build();
        for (dev.mote.dsl.ModelSpec spec : List.of(kws, residual)) {
            Path file = dev.mote.exporter.ModelReport.of(spec).exported().writeTflite(dir.resolve(spec.name()
                    + ".tflite"));
            CliRun r = CliRun.of("inspect", file.toString(), "--json");
            assertEquals(0, r.exitCode(), r.err());
            dev.mote.dsl.ModelSummary summary = spec.summary();
            // each layer of these models that is an operator becomes exactly one
            List<Long> perLayer = summary.rows().stream().map(dev.mote.dsl.ModelSummary.Row::macs)
                    .filter(n -> n >= 0).toList();
            assertEquals(perLayer, opMacs(r.out()), spec.name());
            assertTrue(r.out().contains("\"macs\":" + summary.totalMacs() + ",\"macsComplete\":true"), r.out());
        }
        // and the hand count of the KWS model (dsl's ModelSummaryTest): 160,000 + 36,000 + 128,000 + 0 + 384 + 0
        assertEquals(324_384, kws.summary().totalMacs());
    }

    /** The {@code macs} of each operator in {@code inspect --json}, in order ({@code null} when not counted). */
    static List<Long> opMacs(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\\{\"index\":\\d+,\"op\":\"[^\"]+\",\"version\":\\d+,\"inputs\":\\[[^\\]]*\\],"
                        + "\"outputs\":\\[[^\\]]*\\],\"macs\":(\\d+|null)\\}").matcher(json);
        List<Long> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).equals("null") ? null : Long.parseLong(m.group(1)));
        }
        return out;
    }

    @Test
    void targetNamesParse() {
        assertEquals(ArenaTarget.CORTEX_M, new TargetConverter().convert("Cortex-M"));
        assertEquals(ArenaTarget.HOST_64, new TargetConverter().convert("host_64"));
    }
}
