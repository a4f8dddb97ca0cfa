package dev.mote.vocabulary.testing;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The permissions a new file gets here, found independently of Mote: a probe file created the plain way
 * ({@link Files#createFile}), i.e. {@code 0666} minus the process umask. The oracle for "Mote's files get the usual
 * permissions".
 *
 * <pre>{@code
 * List<Path> written = model.cArray("m", ArenaTarget.CORTEX_M).writeTo(dir);
 * NewFilePermissions.assertUsual(written);
 * }</pre>
 */
public final class NewFilePermissions {
    /** The usual permissions under the usual umask {@code 022}. */
    public static final Set<PosixFilePermission> UNDER_UMASK_022 = PosixFilePermissions.fromString("rw-r--r--");

    private NewFilePermissions() {
    }

    /**
     * The permissions of a new probe file in {@code folder} (deleted again). Skips the calling test (a JUnit
     * assumption) on a file system without POSIX permissions.
     */
    public static Set<PosixFilePermission> probe(Path folder) throws IOException {
        assumePosix(folder);
        Path probe = Files.createFile(folder.resolve(".permission-probe-" + System.nanoTime()));
        try {
            return Files.getPosixFilePermissions(probe);
        } finally {
            Files.delete(probe);
        }
    }

    /**
     * Asserts that every file has exactly the permissions of a new file in its folder, so group and others can read
     * it under the usual umask {@code 022}. Skips the calling test on a file system without POSIX permissions.
     */
    public static void assertUsual(Collection<Path> files) throws IOException {
        for (Path file : files) {
            Set<PosixFilePermission> usual = probe(file.toAbsolutePath().getParent());
            Set<PosixFilePermission> actual = Files.getPosixFilePermissions(file);
            assertEquals(PosixFilePermissions.toString(usual), PosixFilePermissions.toString(actual),
                    file + " has other permissions than a new file created the plain way");
            if (usual.equals(UNDER_UMASK_022)) {
                assertTrue(actual.contains(PosixFilePermission.GROUP_READ)
                        && actual.contains(PosixFilePermission.OTHERS_READ), file + " is not readable by others");
            }
        }
    }

    /** Skips the calling test if {@code folder}'s file system has no POSIX permissions. */
    public static void assumePosix(Path folder) throws IOException {
        FileStore store = Files.getFileStore(folder);
        assumeTrue(store.supportsFileAttributeView(PosixFileAttributeView.class),
                "file system " + store.type() + " of " + folder + " has no POSIX permissions: not checked");
    }
}
