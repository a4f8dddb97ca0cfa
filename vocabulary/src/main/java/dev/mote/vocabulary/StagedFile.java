package dev.mote.vocabulary;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One file of a {@link FileSet} on its way into place: staged as a hidden temporary file next to its target,
 * installed by renaming it over the target (the previous target kept as a hidden backup), then either committed
 * (backup deleted) or rolled back (previous target restored, temporary file deleted).
 */
final class StagedFile {
    private final Path target;
    private final Path absolute;
    private final byte[] bytes;
    private Path temp;
    private Path backup;
    private boolean installed;

    StagedFile(Path target, Path absolute, byte[] bytes) {
        this.target = target;
        this.absolute = absolute;
        this.bytes = bytes;
    }

    /** The target as the caller gave it. */
    Path target() {
        return target;
    }

    /**
     * Writes the bytes to a new hidden file in the target's folder and forces them to disk. The file is created
     * without explicit attributes, so it gets the permissions of any new file: 0666 minus the umask.
     */
    void stage() throws IOException {
        Path folder = absolute.getParent();
        if (folder == null || absolute.getFileName() == null) {
            throw new FileSystemException(target.toString(), null, "not a file path");
        }
        Path candidate = hiddenSibling("tmp");
        FileChannel channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        temp = candidate; // ours from here on: deleted on rollback
        try (channel) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Fails if the target is a directory (or a link to one): renaming over it would replace or hide it. */
    void checkNotADirectory() throws IOException {
        if (Files.isDirectory(absolute)) {
            throw new FileSystemException(target.toString(), null, FileSet.IS_A_DIRECTORY);
        }
    }

    /** Keeps an existing target as a hidden backup, then renames the staged file over the target. */
    void install() throws IOException {
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            backup = keepAside();
        }
        move(temp, absolute);
        temp = null;
        installed = true;
    }

    /** Deletes the backup of the replaced target, if any; a leftover hidden backup is harmless. */
    void commit() {
        if (backup != null) {
            try {
                Files.deleteIfExists(backup);
            } catch (IOException ignored) {
                // best effort: the files are in place
            }
        }
    }

    /**
     * Undoes whatever this file changed: deletes the temporary file, restores the previous target from its backup
     * (or deletes the new target if there was none).
     *
     * @param leftOver where to describe what could not be undone
     */
    void rollBack(List<String> leftOver) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                leftOver.add("the temporary file " + temp + " is left over (" + e.getMessage() + ")");
            }
        }
        if (backup != null) {
            try {
                move(backup, absolute);
            } catch (IOException e) {
                leftOver.add("could not restore " + target + " from " + backup + " (" + e.getMessage()
                        + "); move it back by hand");
            }
        } else if (installed) {
            try {
                Files.deleteIfExists(absolute);
            } catch (IOException e) {
                leftOver.add("the new " + target + " could not be removed (" + e.getMessage() + ")");
            }
        }
    }

    /**
     * A hidden backup of the target: a hard link when the file system has them (the target never disappears, even
     * for a moment), else the target itself moved aside.
     */
    private Path keepAside() throws IOException {
        Path aside = hiddenSibling("bak");
        try {
            return Files.createLink(aside, absolute);
        } catch (UnsupportedOperationException | IOException e) {
            Files.move(absolute, aside);
            return aside;
        }
    }

    private Path hiddenSibling(String suffix) {
        String name = absolute.getFileName().toString();
        String stem = name.length() > 100 ? name.substring(0, 100) : name;
        String unique = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        return absolute.resolveSibling("." + stem + "." + unique + "." + suffix);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
