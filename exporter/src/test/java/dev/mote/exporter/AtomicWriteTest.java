package dev.mote.exporter;

import dev.mote.dsl.ModelSpec;
import dev.mote.runtime.ArenaTarget;
import dev.mote.vocabulary.testing.FolderSnapshot;
import dev.mote.vocabulary.testing.NewFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files are written all or nothing, with the permissions of any new file; an unwritable path fails with
 * {@link ExportWriteException}.
 */
class AtomicWriteTest {

    private static ExportedModel model() {
        ModelSpec spec = HelloWorldModels.spec();
        return TfliteExporter.export(spec, new RandomParameters(spec, 3));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void writesAndReplacesAtomically(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("m.tflite");
        Files.write(target, new byte[] {9, 9, 9});
        ExportedModel model = model();
        model.writeTflite(target);
        assertArrayEquals(model.bytes(), Files.readAllBytes(target));
        assertEquals(List.of(target), list(dir), "no temporary file is left behind");
    }

    @Test
    void missingFolderFailsClearlyAndLeavesNothing(@TempDir Path dir) {
        Path target = dir.resolve("no/such/folder/m.tflite");
        ExportWriteException e = assertThrows(ExportWriteException.class, () -> model().writeTflite(target));
        assertEquals(target, e.path());
        assertTrue(e.getMessage().contains("cannot write " + target), e.getMessage());
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void folderThatIsAFileFails(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("plain.txt"), new byte[] {1});
        assertThrows(ExportWriteException.class, () -> model().writeTflite(file.resolve("m.tflite")));
        assertThrows(ExportWriteException.class, () -> model().cArray("m", dev.mote.runtime.ArenaTarget.CORTEX_M)
                .writeTo(file));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void targetThatIsAFolderFailsAndKeepsTheFolder(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectory(dir.resolve("m.tflite"));
        Files.write(folder.resolve("keep"), new byte[] {1});
        assertThrows(ExportWriteException.class, () -> model().writeTflite(folder));
        assertTrue(Files.isRegularFile(folder.resolve("keep")));
        assertEquals(List.of(folder), list(dir), "no temporary file is left behind");
    }

    @Test
    void readOnlyFolderFailsAndLeavesNothing(@TempDir Path dir) throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(readOnly), "running as root: permissions are not enforced");
            assertThrows(ExportWriteException.class, () -> model().writeTflite(readOnly.resolve("m.tflite")));
            assertEquals(List.of(), list(readOnly));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void everyExportedFileHasThePermissionsOfANewFile(@TempDir Path dir) throws IOException {
        ExportedModel model = model();
        Path tflite = model.writeTflite(dir.resolve("m.tflite"));
        List<Path> sources = model.cArray("m", ArenaTarget.CORTEX_M).writeTo(dir);
        assertEquals(List.of(dir.resolve("m.h"), dir.resolve("m.cc"), dir.resolve("m_op_resolver.h")), sources);
        NewFilePermissions.assertUsual(List.of(tflite));
        NewFilePermissions.assertUsual(sources);
    }

    @Test
    void cArrayCreatesAMissingFolderAsTheReadmeProgramNeeds(@TempDir Path dir) {
        Path firmware = dir.resolve("firmware/src");
        List<Path> sources = model().cArray("m", ArenaTarget.CORTEX_M).writeTo(firmware);
        assertEquals(List.of(firmware.resolve("m.h"), firmware.resolve("m.cc"), firmware.resolve("m_op_resolver.h")),
                sources);
        sources.forEach(p -> assertTrue(Files.isRegularFile(p), p + " written"));
    }

    @Test
    void cArrayWithTheSourceADirectoryFailsAndLeavesTheFolderAsItWas(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.h"), "// previous header");
        Files.writeString(dir.resolve("m_op_resolver.h"), "// previous resolver");
        Files.writeString(Files.createDirectory(dir.resolve("m.cc")).resolve("keep"), "kept");
        FolderSnapshot before = FolderSnapshot.of(dir);
        CArraySources c = model().cArray("m", ArenaTarget.CORTEX_M);
        ExportWriteException e = assertThrows(ExportWriteException.class, () -> c.writeTo(dir));
        assertEquals(dir.resolve("m.cc"), e.path());
        assertTrue(e.getMessage().contains("cannot write " + dir.resolve("m.cc") + ": it is a directory"),
                e.getMessage());
        assertEquals(before, FolderSnapshot.of(dir), "no new header, no temporary file, previous files unchanged");
    }

    @Test
    void cArrayReplacesAPreviousSet(@TempDir Path dir) throws IOException {
        CArraySources c = model().cArray("m", ArenaTarget.CORTEX_M);
        for (String name : List.of("m.h", "m.cc", "m_op_resolver.h")) {
            Files.writeString(dir.resolve(name), "// previous " + name);
        }
        List<Path> written = c.writeTo(dir);
        assertEquals(c.header(), Files.readString(dir.resolve("m.h")));
        assertEquals(c.source(), Files.readString(dir.resolve("m.cc")));
        assertEquals(c.resolverHeader(), Files.readString(dir.resolve("m_op_resolver.h")));
        assertEquals(written.stream().sorted().toList(), list(dir).stream().sorted().toList(),
                "no temporary file or backup is left behind");
        NewFilePermissions.assertUsual(written);
    }
}
