package dev.mote.runtime.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the real TFLite models and TFLM golden outputs of {@code ../shared/models}. Tests that need them call
 * {@link #require(String)}, which skips the test with a clear message when the folder is absent (a user's clone).
 * Override the folder with {@code -Dmote.models.dir=/path/to/models}.
 */
public final class ReferenceModels {
    public static final String PROPERTY = "mote.models.dir";

    private ReferenceModels() {
    }

    /** The models folder, or {@code null} if there is none. */
    public static Path directory() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            Path p = Path.of(configured);
            return Files.isDirectory(p) ? p : null;
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("models");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The path of a reference file; skips the calling test if it is not available. */
    public static Path require(String fileName) {
        Path dir = directory();
        Assumptions.assumeTrue(dir != null, "reference models not found: set -D" + PROPERTY
                + " or place them in ../shared/models; skipping");
        Path file = dir.resolve(fileName);
        Assumptions.assumeTrue(Files.isRegularFile(file), "reference file " + file + " not found; skipping");
        return file;
    }

    public static byte[] bytes(String fileName) {
        try {
            return Files.readAllBytes(require(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a golden CSV in {@code golden/}, without comment lines starting with '#'. */
    public static List<String> goldenLines(String fileName) {
        try {
            return Files.readAllLines(require("golden/" + fileName)).stream().filter(l -> !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
