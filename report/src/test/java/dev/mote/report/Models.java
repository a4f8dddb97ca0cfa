package dev.mote.report;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real TFLite models of {@code ../shared/models} (override with {@code -Dmote.models.dir}); a test that needs
 * one is skipped with a clear message where the folder is absent.
 */
final class Models {
    private Models() {
    }

    static Path require(String fileName) {
        Path dir = null;
        String configured = System.getProperty("mote.models.dir");
        if (configured != null) {
            dir = Files.isDirectory(Path.of(configured)) ? Path.of(configured) : null;
        } else {
            Path d = Path.of("").toAbsolutePath();
            for (int up = 0; up < 5 && d != null && dir == null; up++, d = d.getParent()) {
                Path candidate = d.resolve("shared").resolve("models");
                dir = Files.isDirectory(candidate) ? candidate : null;
            }
        }
        Assumptions.assumeTrue(dir != null, "reference models not found: set -Dmote.models.dir or place them in "
                + "../shared/models; skipping");
        Path file = dir.resolve(fileName);
        Assumptions.assumeTrue(Files.isRegularFile(file), "reference file " + file + " not found; skipping");
        return file;
    }

    static byte[] bytes(String fileName) {
        try {
            return Files.readAllBytes(require(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
