package dev.mote.vocabulary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files written all or nothing, with the permissions any new file gets. The one place Mote writes files.
 *
 * <p>{@link #write()} stages every file as a hidden temporary file in its target's folder, forces it to disk, checks
 * that no target is a directory, then renames each into place (atomically where the file system can). A target that
 * already exists is kept as a hidden backup until all files are in place. If anything fails, the temporary files are
 * deleted and the replaced targets restored, so the folders hold exactly what they held before, and a
 * {@link FileWriteException} names the file and says what to do.
 *
 * <p>The files are created like any new file, so they get {@code 0666} minus the process umask ({@code 0644} under
 * the usual {@code 022}): a firmware build under another user or in a container can read them. A file that replaces
 * another gets these permissions too, not the old file's. Folders are not created.
 *
 * <pre>{@code
 * List<Path> written = new FileSet()
 *         .add(Path.of("firmware/src/model.h"), header)          // text, UTF-8
 *         .add(Path.of("firmware/src/model.cc"), source)
 *         .add(Path.of("firmware/model.tflite"), tfliteBytes)
 *         .write();   // all three, or FileWriteException and none changed
 * }</pre>
 *
 * <p>All or nothing holds for every failure Java sees (a missing folder, a directory in the way, a full disk, no
 * permission); a crash or power loss in the middle of the renames can leave some files replaced, plus hidden
 * {@code .NAME.*.tmp} or {@code .NAME.*.bak} files. Not thread-safe; writing the same files from two processes at
 * once is not coordinated.
 */
public final class FileSet {
    /** The {@link java.nio.file.FileSystemException#getReason() reason} of a target that is a directory. */
    static final String IS_A_DIRECTORY = "is a directory";

    private final Map<Path, StagedFile> files = new LinkedHashMap<>();
    private boolean written;

    /**
     * Adds a file. The bytes are copied.
     *
     * @throws IllegalArgumentException if the set already has a file at that path
     */
    public FileSet add(Path target, byte[] bytes) {
        Path absolute = target.toAbsolutePath().normalize();
        if (files.containsKey(absolute)) {
            throw new IllegalArgumentException(target + " is already in this file set");
        }
        files.put(absolute, new StagedFile(target, absolute, bytes.clone()));
        return this;
    }

    /** Adds a text file, encoded as UTF-8. */
    public FileSet add(Path target, String text) {
        return add(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The paths added so far, in order, as given. */
    public List<Path> paths() {
        return files.values().stream().map(StagedFile::target).toList();
    }

    /**
     * Writes every file, all or nothing. A set is written once; write a new set to write again.
     *
     * @return {@link #paths()}
     * @throws FileWriteException if a file cannot be written (the folders are then as they were, unless
     *                            {@link FileWriteException#unchanged()} says otherwise)
     * @throws IllegalStateException if the set was written already
     */
    public List<Path> write() {
        if (written) {
            throw new IllegalStateException("this file set was written already");
        }
        written = true;
        List<StagedFile> all = List.copyOf(files.values());
        StagedFile current = null;
        try {
            for (StagedFile f : all) {
                current = f;
                f.stage();
            }
            for (StagedFile f : all) {
                current = f;
                f.checkNotADirectory();
            }
            for (StagedFile f : all) {
                current = f;
                f.install();
            }
        } catch (IOException | SecurityException e) {
            throw FileWriteException.of(current.target(), e, rollBack(all));
        } catch (RuntimeException | Error e) {
            rollBack(all);
            throw e;
        }
        all.forEach(StagedFile::commit);
        return paths();
    }

    private static List<String> rollBack(List<StagedFile> all) {
        List<String> leftOver = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).rollBack(leftOver);
        }
        return leftOver;
    }
}
