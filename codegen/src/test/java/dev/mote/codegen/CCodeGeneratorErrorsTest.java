package dev.mote.codegen;

import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.testing.ReferenceModels;
import dev.mote.vocabulary.testing.FolderSnapshot;
import dev.mote.vocabulary.testing.NewFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    void writingWhereTheSourceIsADirectoryLeavesTheDirectoryAsItWas(@TempDir Path dir) throws IOException {
        GeneratedC c = CCodeGenerator.forModel(ReferenceModels.bytes("hello_world_int8.tflite")).name("m").generate();
        Files.writeString(dir.resolve("m.h"), "/* previous header */");
        Files.createDirectories(dir.resolve("m.c").resolve("occupied"));
        FolderSnapshot before = FolderSnapshot.of(dir);
        CodegenException e = assertThrows(CodegenException.class, () -> c.writeTo(dir));
        assertTrue(e.getMessage().contains("cannot write " + dir.resolve("m.c") + ": it is a directory"),
                e.getMessage());
        assertEquals(before, FolderSnapshot.of(dir), "previous header kept, no temporary files");
    }

    @Test
    void writingWhereNothingWasLeavesNoHeaderBehind(@TempDir Path dir) throws IOException {
        GeneratedC c = CCodeGenerator.forModel(ReferenceModels.bytes("hello_world_int8.tflite")).name("m").generate();
        Files.createDirectories(dir.resolve("m.c").resolve("occupied"));
        assertThrows(CodegenException.class, () -> c.writeTo(dir));
        assertFalse(Files.exists(dir.resolve("m.h")), "header left behind");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "temporary files left behind");
        }
    }

    @Test
    void writingReplacesAPreviousPairWithTheUmasksPermissions(@TempDir Path dir) throws IOException {
        GeneratedC c = CCodeGenerator.forModel(ReferenceModels.bytes("hello_world_int8.tflite")).name("m").generate();
        Files.writeString(dir.resolve("m.h"), "/* previous header */");
        Files.writeString(dir.resolve("m.c"), "/* previous source */");
        List<Path> written = c.writeTo(dir);
        assertEquals(List.of(dir.resolve("m.h"), dir.resolve("m.c")), written);
        assertEquals(c.header(), Files.readString(dir.resolve("m.h")));
        assertEquals(c.source(), Files.readString(dir.resolve("m.c")));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "temporary files or backups left behind");
        }
        NewFilePermissions.assertUsual(written);
    }

    @Test
    void filesGetTheUmasksPermissionsLikeAnyNewFile(@TempDir Path dir) throws IOException {
        GeneratedC c = CCodeGenerator.forModel(ReferenceModels.bytes("hello_world_int8.tflite")).name("m").generate();
        // into a directory writeTo creates
        List<Path> written = c.writeTo(dir.resolve("new"));
        NewFilePermissions.assertUsual(written);
    }
}
