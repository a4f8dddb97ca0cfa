package dev.mote.codegen;

import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to the generator gets a typed Mote exception that says what to do, and loses nothing. */
class CCodeGeneratorErrorsTest {

    @Test
    void malformedBytesAreRefusedByTheModelReader() {
        byte[] junk = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertThrows(InvalidModelException.class, () -> CCodeGenerator.forModel(junk).generate());
    }

    @Test
    void aNameThatIsAKeywordOrNotAnIdentifierIsRefused() {
        byte[] model = ReferenceModels.bytes("hello_world_int8.tflite");
        for (String bad : new String[] {"int", "2fast", "a-b", "", "x".repeat(64)}) {
            CodegenException e = assertThrows(CodegenException.class, () -> CCodeGenerator.forModel(model).name(bad));
            assertTrue(e.getMessage().contains("not a C identifier"), e.getMessage());
        }
    }

    @Test
    void writingWhereTheSourceIsADirectoryLeavesNothingBehind(@TempDir Path dir) throws IOException {
        GeneratedC c = CCodeGenerator.forModel(ReferenceModels.bytes("hello_world_int8.tflite")).name("m").generate();
        Files.createDirectories(dir.resolve("m.c").resolve("occupied"));
        CodegenException e = assertThrows(CodegenException.class, () -> c.writeTo(dir));
        assertTrue(e.getMessage().contains("m.c"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("m.h")), "header left behind");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "temporary files left behind");
        }
    }

    @Test
    void filesGetTheUmasksPermissionsLikeAnyNewFile(@TempDir Path dir) throws IOException {
        GeneratedC c = CCodeGenerator.forModel(ReferenceModels.bytes("hello_world_int8.tflite")).name("m").generate();
        c.writeTo(dir);
        // a file created the plain way gets the umask's permissions (0644 under the usual 022)
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        assertEquals(plain, Files.getPosixFilePermissions(dir.resolve("m.c")), "m.c");
        assertEquals(plain, Files.getPosixFilePermissions(dir.resolve("m.h")), "m.h");
    }
}
