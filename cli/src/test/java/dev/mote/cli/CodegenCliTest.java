package dev.mote.cli;

import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mote codegen}: the files, the figures printed, and the typed errors with exit code 1 or 2. */
class CodegenCliTest {

    @Test
    void writesHeaderAndSourceAndPrintsTheFigures(@TempDir Path dir) throws IOException {
        String model = ReferenceModels.require("hello_world_int8.tflite").toString();
        CliRun r = CliRun.of("codegen", model, "--out", dir.toString(), "--name", "sine");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("SINE_INPUT_BYTES 1, SINE_OUTPUT_BYTES 1, SINE_ARENA_BYTES 32"), r.out());
        String header = Files.readString(dir.resolve("sine.h"));
        assertTrue(header.contains("int sine_invoke(const void *input, void *output);"), header);
        assertTrue(header.contains("#define SINE_ARENA_BYTES  32u"), header);
        assertTrue(Files.readString(dir.resolve("sine.c")).contains("mote_fully_connected_s8("));
    }

    @Test
    void aNameThatIsNotACIdentifierIsRefusedWithAMessage(@TempDir Path dir) {
        String model = ReferenceModels.require("hello_world_int8.tflite").toString();
        CliRun r = CliRun.of("codegen", model, "--out", dir.toString(), "--name", "2fast");
        assertEquals(2, r.exitCode(), r.out()); // a bad option value: a usage error
        assertTrue(r.err().contains("--name: '2fast' is not a C identifier"), r.err());
        assertFalse(Files.exists(dir.resolve("2fast.h")));
    }

    @Test
    void missingOutFolderIsAUsageError() {
        String model = ReferenceModels.require("hello_world_int8.tflite").toString();
        CliRun r = CliRun.of("codegen", model);
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("--out"), r.err());
    }
}
