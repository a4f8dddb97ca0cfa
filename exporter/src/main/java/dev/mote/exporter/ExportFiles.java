package dev.mote.exporter;

import dev.mote.vocabulary.FileSet;
import dev.mote.vocabulary.FileWriteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the exporter's files through {@link FileSet}, reporting failures as {@link ExportWriteException}. */
final class ExportFiles {
    private ExportFiles() {
    }

    /** Creates {@code folder} and its parents if missing. */
    static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException | SecurityException e) {
            throw new ExportWriteException(folder, e);
        }
    }

    static List<Path> write(FileSet files) {
        try {
            return files.write();
        } catch (FileWriteException e) {
            throw new ExportWriteException(e);
        }
    }
}
