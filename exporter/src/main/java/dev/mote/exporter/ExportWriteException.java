package dev.mote.exporter;

import dev.mote.vocabulary.FileSet;
import dev.mote.vocabulary.FileWriteException;

import java.nio.file.Path;

/**
 * Writing an exported file failed (folder missing or not writable, a directory in the way, disk full, ...). The files
 * are written as one {@link FileSet}, so nothing was left behind and a replaced file was restored (unless the
 * message says rolling back failed too).
 */
public class ExportWriteException extends ExportException {
    private final Path path;

    public ExportWriteException(Path path, Throwable cause) {
        super("cannot write " + path + ": " + describe(cause) + "; check that the folder exists and is writable",
                cause);
        this.path = path;
    }

    /** The exporter's form of a {@link FileSet} failure: the same file and message. */
    public ExportWriteException(FileWriteException cause) {
        super(cause.getMessage(), cause);
        this.path = cause.path();
    }

    /** The file that could not be written. */
    public Path path() {
        return path;
    }

    private static String describe(Throwable cause) {
        String simple = cause.getClass().getSimpleName();
        return cause.getMessage() == null ? simple : simple + " (" + cause.getMessage() + ")";
    }
}
