package dev.mote.vocabulary;

import dev.mote.vocabulary.testing.FolderSnapshot;
import dev.mote.vocabulary.testing.NewFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A file set is written all or nothing, with the permissions of any new file. */
class FileSetTest {

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesEveryFileWithTheUsualPermissions(@TempDir Path dir) throws IOException {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        List<Path> written = new FileSet().add(dir.resolve("m.h"), "// h\n").add(dir.resolve("m.bin"), bytes)
                .add(dir.resolve("é.txt"), "é").write();
        assertEquals(List.of(dir.resolve("m.h"), dir.resolve("m.bin"), dir.resolve("é.txt")), written);
        assertEquals("// h\n", Files.readString(dir.resolve("m.h")));
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("m.bin")));
        assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("é.txt")));
        assertEquals(List.of("m.bin", "m.h", "é.txt"), names(dir), "no temporary file is left behind");
        NewFilePermissions.assertUsual(written);
    }

    @Test
    void replacesAnExistingSetWithNewContentAndTheUsualPermissions(@TempDir Path dir) throws IOException {
        Path h = Files.writeString(dir.resolve("m.h"), "old h");
        Path c = Files.writeString(dir.resolve("m.c"), "old c");
        NewFilePermissions.assumePosix(dir);
        Files.setPosixFilePermissions(h, PosixFilePermissions.fromString("rw-------"));
        new FileSet().add(h, "new h").add(c, "new c").write();
        assertEquals("new h", Files.readString(h));
        assertEquals("new c", Files.readString(c));
        assertEquals(List.of("m.c", "m.h"), names(dir), "no temporary file or backup is left behind");
        NewFilePermissions.assertUsual(List.of(h, c));
    }

    @Test
    void aDirectoryInTheWayChangesNothing(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.h"), "old h");
        Files.writeString(Files.createDirectories(dir.resolve("m.c")).resolve("keep"), "kept");
        FolderSnapshot before = FolderSnapshot.of(dir);
        FileWriteException e = assertThrows(FileWriteException.class,
                () -> new FileSet().add(dir.resolve("m.h"), "new h").add(dir.resolve("m.c"), "new c")
                        .add(dir.resolve("m_extra.h"), "extra").write());
        assertEquals(dir.resolve("m.c"), e.path());
        assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve("m.c") + ": it is a directory; "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
        assertTrue(e.unchanged());
        assertEquals(before, FolderSnapshot.of(dir));
    }

    @Test
    void aFailureAfterSomeFilesAreInPlaceRestoresThem(@TempDir Path dir) throws IOException {
        // a name too long for the file system: its (shorter) temporary file is staged, the rename into place fails
        Path tooLong = dir.resolve("x".repeat(300) + ".c");
        assumeTrue(cannotCreate(tooLong), "the file system takes 300-character names");
        Files.writeString(dir.resolve("m.h"), "old h");
        FolderSnapshot before = FolderSnapshot.of(dir);
        FileWriteException e = assertThrows(FileWriteException.class, () -> new FileSet()
                .add(dir.resolve("m.h"), "new h").add(dir.resolve("m.c"), "new c").add(tooLong, "x").write());
        assertEquals(tooLong, e.path());
        assertEquals(tooLong.toString(), ((FileSystemException) e.getCause()).getOtherFile(), "fails at the rename");
        assertTrue(e.unchanged(), e.getMessage());
        assertEquals(before, FolderSnapshot.of(dir), "m.h restored, m.c removed, no temporary file or backup");
    }

    private static boolean cannotCreate(Path file) {
        try {
            Files.createFile(file);
            Files.delete(file);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void aMissingFolderIsNamedAndNotCreated(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("no/such/m.h");
        FileWriteException e = assertThrows(FileWriteException.class,
                () -> new FileSet().add(dir.resolve("ok.h"), "ok").add(target, "h").write());
        assertEquals(target, e.path());
        assertTrue(e.getMessage().contains("the folder " + dir.resolve("no/such") + " does not exist; create it first"),
                e.getMessage());
        assertEquals(List.of(), names(dir));
    }

    @Test
    void aFolderThatIsAFileIsNamed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "plain");
        FileWriteException e = assertThrows(FileWriteException.class,
                () -> new FileSet().add(file.resolve("m.h"), "h").write());
        assertTrue(e.getMessage().contains("its folder " + file + " is not a folder"), e.getMessage());
        assertEquals(List.of("plain"), names(dir));
        assertEquals("plain", Files.readString(file));
    }

    @Test
    void aPathIsAddedOnceAndASetIsWrittenOnce(@TempDir Path dir) {
        FileSet files = new FileSet().add(dir.resolve("m.h"), "h");
        assertThrows(IllegalArgumentException.class, () -> files.add(dir.resolve("./m.h"), "again"));
        files.write();
        assertThrows(IllegalStateException.class, files::write);
    }

    @Test
    void theBytesAreCopiedWhenAdded(@TempDir Path dir) throws IOException {
        byte[] bytes = {1, 2, 3};
        FileSet files = new FileSet().add(dir.resolve("m.bin"), bytes);
        bytes[0] = 9;
        files.write();
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("m.bin")));
    }

    @Test
    void anEmptySetWritesNothing(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), new FileSet().write());
        assertFalse(Files.list(dir).findAny().isPresent());
    }
}
