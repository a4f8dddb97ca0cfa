package dev.mote.runtime.fuzz;

import dev.mote.runtime.ArenaTarget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Replays committed inputs through {@link FuzzContract} with both arena targets, with and without guard mode, without
 * Jazzer's agent (so in the main test JVM): every input that once broke the contract
 * ({@code src/test/resources/fuzz-regressions/}, described in its README; the specific behaviour is asserted in
 * {@link FuzzFindingsTest}) and the raw-bytes fuzzer's committed corpus and findings
 * ({@code RawBytesFuzzTestInputs/}). {@link MutatedModelFuzzTest}'s inputs are decision strings, not models: its
 * Surefire execution replays them.
 */
class FuzzRegressionTest {
    static final Path DIRECTORY = Path.of("src/test/resources/fuzz-regressions");

    static List<Path> inputs() throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            files.filter(p -> p.toString().endsWith(".tflite")).sorted().forEach(all::add);
        }
        if (Files.isDirectory(SeedCorpusWriter.RAW)) {
            try (Stream<Path> files = Files.list(SeedCorpusWriter.RAW)) {
                files.filter(Files::isRegularFile).sorted().forEach(all::add);
            }
        }
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyCommittedInputKeepsTheContract() throws IOException {
        List<Path> files = inputs();
        assertFalse(files.isEmpty(), "no regression inputs found in " + DIRECTORY.toAbsolutePath());
        return files.stream().map(file -> DynamicTest.dynamicTest(DIRECTORY.relativize(file).toString(), () -> {
            byte[] bytes = Files.readAllBytes(file);
            for (ArenaTarget target : ArenaTarget.values()) {
                FuzzContract.check(bytes, new FuzzContract.Settings(512, 64 << 10, target, true, 7));
                FuzzContract.check(bytes, new FuzzContract.Settings(0, 16 << 10, target, false, 8));
            }
        }));
    }
}
