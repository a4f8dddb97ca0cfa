package dev.mote.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of arbitrary bytes as a model file through the whole pipeline (see
 * {@link FuzzContract}); arenas and guard mode are derived from the bytes' hash. Seeds: the zoo models committed in
 * {@code RawBytesFuzzTestInputs/} (regenerate with {@link SeedCorpusWriter}), where Jazzer also stores findings;
 * {@link FuzzRegressionTest} replays them in every build. Not part of the bounded run (one Jazzer JVM per build is
 * enough); a long run:
 * <pre>
 * JAZZER_FUZZ=1 nice -n 15 mvn -B -o -pl micro-runtime surefire:test@fuzz -Dtest=RawBytesFuzzTest \
 *     -Djazzer.max_duration=20m
 * </pre>
 */
class RawBytesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void arbitraryBytesKeepTheContract(byte[] data) {
        FuzzContract.check(data, FuzzContract.Settings.from(Choices.of(data)));
    }

    @AfterAll
    static void statistics() {
        System.out.println("RawBytesFuzzTest: " + FuzzContract.statistics());
    }
}
