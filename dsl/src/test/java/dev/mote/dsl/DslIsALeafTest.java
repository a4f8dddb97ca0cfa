package dev.mote.dsl;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The DSL depends on the vocabulary only: none of its compiled classes names a micro-runtime or exporter type, and
 * it registers or looks up no services.
 */
class DslIsALeafTest {

    @Test
    void noDslClassReferencesTheRuntimeOrTheExporter() throws IOException, URISyntaxException {
        Path classes = Path.of(ModelSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertFalse(files.isEmpty(), classes.toString());
        List<String> offenders = files.stream().filter(DslIsALeafTest::referencesOtherModules)
                .map(p -> classes.relativize(p).toString()).toList();
        assertEquals(List.of(), offenders);
    }

    @Test
    void theDslShipsNoServiceFiles() {
        assertNull(ModelSpec.class.getResource("/META-INF/services/dev.mote.dsl.ArenaEstimator"));
    }

    private static boolean referencesOtherModules(Path classFile) {
        try {
            // class names in the constant pool are UTF-8 text with '/' separators
            String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return text.contains("dev/mote/runtime/") || text.contains("dev/mote/exporter/")
                    || text.contains("dev/mote/trainer/") || text.contains("java/util/ServiceLoader");
        } catch (IOException e) {
            throw new IllegalStateException(classFile.toString(), e);
        }
    }
}
