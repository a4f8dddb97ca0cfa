package dev.mote.vocabulary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a folder holds, recursively, hidden files included: each entry's relative path with its kind, permissions
 * (on POSIX file systems), size and content hash. Two equal snapshots mean "the folder holds exactly what it held".
 *
 * <pre>{@code
 * FolderSnapshot before = FolderSnapshot.of(dir);
 * assertThrows(ExportWriteException.class, () -> sources.writeTo(dir));
 * assertEquals(before, FolderSnapshot.of(dir));
 * }</pre>
 *
 * @param entries relative path to a description of the entry, sorted
 */
public record FolderSnapshot(Map<String, String> entries) {

    /** The snapshot of {@code folder} now. */
    public static FolderSnapshot of(Path folder) throws IOException {
        boolean posix = Files.getFileStore(folder).supportsFileAttributeView(PosixFileAttributeView.class);
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            all.filter(p -> !p.equals(folder))
                    .forEach(p -> entries.put(folder.relativize(p).toString(), describe(p, posix)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new FolderSnapshot(entries);
    }

    private static String describe(Path p, boolean posix) {
        try {
            String permissions = posix
                    ? " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                    : "";
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return "directory" + permissions;
            }
            byte[] bytes = Files.readAllBytes(p);
            return "file" + permissions + " " + bytes.length + " bytes sha256 "
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        entries.forEach((path, what) -> s.append("\n  ").append(path).append(": ").append(what));
        return s.toString();
    }
}
