package dev.mote.exporter;

import dev.mote.dsl.ModelSpec;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.vocabulary.BuiltinOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The C array is byte-identical to the .tflite file; the resolver header registers exactly the model's ops. */
class CArrayTest {

    private static ExportedModel helloWorld() {
        ModelSpec spec = HelloWorldModels.spec();
        return TfliteExporter.export(spec, HelloWorldModels.converterWeights(spec));
    }

    /** Parses the initializer of {@code g_<name>[]} back into bytes, independently of the writer. */
    static byte[] parseArray(String source, String name) {
        Matcher m = Pattern.compile("alignas\\(16\\) const unsigned char g_" + name + "\\[\\] = \\{([^}]*)\\};")
                .matcher(source);
        assertTrue(m.find(), "array definition of g_" + name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String token : m.group(1).split(",")) {
            String t = token.trim();
            if (!t.isEmpty()) {
                out.write(Integer.decode(t));
            }
        }
        return out.toByteArray();
    }

    private static int parseLength(String source, String name) {
        Matcher m = Pattern.compile("const unsigned int g_" + name + "_len = (\\d+);").matcher(source);
        assertTrue(m.find(), "length definition of g_" + name + "_len");
        return Integer.parseInt(m.group(1));
    }

    @Test
    void sourceParsesBackToTheTfliteBytes(@TempDir Path dir) throws IOException {
        ExportedModel model = helloWorld();
        CArraySources c = model.cArray("hello_world_model", ArenaTarget.CORTEX_M);
        List<Path> written = c.writeTo(dir);
        assertEquals(3, written.size());
        Path tflite = model.writeTflite(dir.resolve("hello_world_model.tflite"));
        byte[] fileBytes = Files.readAllBytes(tflite);
        String cc = Files.readString(dir.resolve("hello_world_model.cc"));
        assertArrayEquals(fileBytes, parseArray(cc, "hello_world_model"));
        assertEquals(fileBytes.length, parseLength(cc, "hello_world_model"));
        assertTrue(cc.contains("#include \"hello_world_model.h\""));
        String h = Files.readString(dir.resolve("hello_world_model.h"));
        assertTrue(h.contains("extern const unsigned char g_hello_world_model[];"), h);
        assertTrue(h.contains("extern const unsigned int g_hello_world_model_len;"), h);
        assertTrue(h.contains("#ifndef HELLO_WORLD_MODEL_H_"), h);
    }

    @Test
    void resolverHeaderRegistersTheModelsOpsAndTheArenaWithMargin(@TempDir Path dir) throws IOException {
        ExportedModel model = helloWorld();
        ArenaReport report = model.arenaReport(ArenaTarget.CORTEX_M);
        CArraySources c = model.cArray("hello_world_model", ArenaTarget.CORTEX_M);
        int expected = (int) Math.ceil(report.minimumArenaBytes() * 1.10);
        expected = (expected + 15) & ~15;
        assertEquals(expected, c.arenaBytes());
        c.writeTo(dir);
        String r = Files.readString(dir.resolve("hello_world_model_op_resolver.h"));
        assertTrue(r.contains("constexpr int kHelloWorldModelTensorArenaSize = " + expected + ";"), r);
        assertTrue(r.contains("using HelloWorldModelOpResolver = tflite::MicroMutableOpResolver<1>;"), r);
        assertTrue(r.contains("resolver.AddFullyConnected()"), r);
        assertEquals(1, r.split("resolver\\.Add").length - 1, "exactly one registration");
        assertTrue(r.contains("#include \"tensorflow/lite/micro/micro_mutable_op_resolver.h\""));
        assertTrue(r.contains("smallest arena " + report.minimumArenaBytes() + " bytes"), r);
        System.out.printf("hello_world export arena (Mote's report): %s; k...TensorArenaSize = %d%n", report, expected);
        CArraySources noMargin = model.cArray("hello_world_model", ArenaTarget.HOST_64, 0);
        ArenaReport host = model.arenaReport(ArenaTarget.HOST_64);
        assertEquals((host.minimumArenaBytes() + 15) & ~15, noMargin.arenaBytes());
    }

    @Test
    void resolverHeaderListsEveryDistinctOperatorOnce() {
        String r = CArrayWriter.resolverHeader("net", List.of(BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D,
                BuiltinOperator.MAX_POOL_2D, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.RESHAPE,
                BuiltinOperator.SOFTMAX, BuiltinOperator.MEAN, BuiltinOperator.PAD, BuiltinOperator.ADD,
                BuiltinOperator.FULLY_CONNECTED), 4096, "test");
        assertTrue(r.contains("tflite::MicroMutableOpResolver<10>"), r);
        for (String method : List.of("AddConv2D", "AddDepthwiseConv2D", "AddMaxPool2D", "AddAveragePool2D",
                "AddReshape", "AddSoftmax", "AddMean", "AddPad", "AddAdd", "AddFullyConnected")) {
            assertTrue(r.contains("resolver." + method + "()"), method);
        }
        assertTrue(r.contains("constexpr int kNetTensorArenaSize = 4096;"));
        assertTrue(r.contains("inline TfLiteStatus RegisterNetOps(NetOpResolver& resolver)"), r);
    }

    @Test
    void renderUsesTheReportsSmallestArena() {
        ArenaReport report = helloWorld().arenaReport(ArenaTarget.CORTEX_M);
        assertEquals(1068, report.minimumArenaBytes(), "TFLM's smallest arena for the Hello World architecture");
        CArraySources c = CArrayWriter.render("m", new byte[] {1, 2, 3}, List.of(BuiltinOperator.FULLY_CONNECTED),
                report, 10);
        assertEquals(1184, c.arenaBytes(), "1068 * 1.1 = 1174.8 → 1175 → 1184");
        assertArrayEquals(new byte[] {1, 2, 3}, parseArray(c.source(), "m"));
    }

    @Test
    void namesMustBeCIdentifiers() {
        ExportedModel model = helloWorld();
        for (String bad : new String[] {"1model", "hello-world", "", "a b", "модель"}) {
            assertThrows(ExportException.class, () -> model.cArray(bad, ArenaTarget.CORTEX_M), bad);
        }
        assertEquals("HelloWorld", CArrayWriter.camelCase("hello_world"));
        assertEquals("Model", CArrayWriter.camelCase("_"));
    }
}
