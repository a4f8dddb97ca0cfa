package dev.mote.exporter;

import java.nio.file.Path;

/**
 * Writing an exported file failed (folder missing or not writable, disk full, ...). Nothing was left behind:
 * files are written to a temporary file in the target folder and renamed only when complete.
 */
public class ExportWriteException extends ExportException {
    private final Path path;

    public ExportWriteException(Path path, Throwable cause) {
        super("cannot write " + path + ": " + describe(cause) + "; check that the folder exists and is writable",
                cause);
        this.path = path;
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
