package dev.mote.runtime.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes the Jazzer fuzz tests' committed seed inputs: the {@link ModelZoo} models for {@link RawBytesFuzzTest}, and
 * a few seeded random decision strings for {@link MutatedModelFuzzTest} (so that libFuzzer starts with inputs long
 * enough to drive several mutations; its own length limit grows slowly). Run after changing the zoo:
 * <pre>
 * mvn -B -o -q -pl micro-runtime test-compile exec:exec -Dexec.skip=false -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath dev.mote.runtime.fuzz.SeedCorpusWriter" -Dexec.classpathScope=test
 * </pre>
 */
public final class SeedCorpusWriter {
    static final Path RESOURCES = Path.of("src/test/resources/dev/mote/runtime/fuzz");
    static final Path RAW = RESOURCES.resolve("RawBytesFuzzTestInputs/arbitraryBytesKeepTheContract");
    static final Path MUTATED = RESOURCES.resolve("MutatedModelFuzzTestInputs/mutatedModelsKeepTheContract");
    private static final int DECISION_SEEDS = 8;

    private SeedCorpusWriter() {
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(RAW);
        for (Map.Entry<String, byte[]> e : ModelZoo.all().entrySet()) {
            Files.write(RAW.resolve("zoo_" + e.getKey() + ".tflite"), e.getValue());
        }
        Files.createDirectories(MUTATED);
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < DECISION_SEEDS; i++) {
            byte[] decisions = new byte[256];
            random.nextBytes(decisions);
            Files.write(MUTATED.resolve("seed_decisions_" + i), decisions);
        }
        System.out.println("wrote " + ModelZoo.all().size() + " model seeds to " + RAW.toAbsolutePath() + " and "
                + DECISION_SEEDS + " decision seeds to " + MUTATED.toAbsolutePath());
    }
}
