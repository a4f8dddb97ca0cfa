package dev.mote.vocabulary;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link FileSet} could not be written. The message names the file, says why and what to do, and whether the
 * folder was left as it was (it is, unless restoring it failed too; then the message lists what is left over).
 *
 * <pre>{@code
 * try {
 *     new FileSet().add(Path.of("out/model.h"), header).write();
 * } catch (FileWriteException e) {
 *     System.err.println(e.getMessage()); // cannot write out/model.h: the folder ... does not exist; create it ...
 * }
 * }</pre>
 */
public class FileWriteException extends MoteException {
    private final transient Path path;
    private final boolean unchanged;

    public FileWriteException(Path path, String message, boolean unchanged, Throwable cause) {
        super(message, cause);
        this.path = path;
        this.unchanged = unchanged;
    }

    /**
     * The failure of writing {@code path}; {@code leftOver} describes what rolling back could not undo (empty if the
     * folders hold exactly what they held before).
     */
    static FileWriteException of(Path path, Exception cause, List<String> leftOver) {
        String outcome = leftOver.isEmpty()
                ? " Nothing was changed."
                : " Rolling back failed too: " + String.join("; ", leftOver) + ".";
        return new FileWriteException(path, "cannot write " + path + ": " + reason(path, cause) + "." + outcome,
                leftOver.isEmpty(), cause);
    }

    /** The file that could not be written. */
    public Path path() {
        return path;
    }

    /** Whether the folders were left exactly as they were before the write. */
    public boolean unchanged() {
        return unchanged;
    }

    private static String reason(Path path, Exception cause) {
        if (cause instanceof FileSystemException f && FileSet.IS_A_DIRECTORY.equals(f.getReason())) {
            return "it is a directory; remove or rename it, or write the files somewhere else";
        }
        Path folder = path.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            return Files.exists(folder)
                    ? "its folder " + folder + " is not a folder; choose another folder"
                    : "the folder " + folder + " does not exist; create it first";
        }
        if (cause instanceof AccessDeniedException) {
            return "permission denied (" + cause.getMessage() + "); make the folder writable for this user";
        }
        String simple = cause.getClass().getSimpleName();
        String detail = cause.getMessage() == null ? simple : simple + " (" + cause.getMessage() + ")";
        return detail + "; check that the folder exists and is writable and the disk is not full";
    }
}
