package dev.mote.runtime.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of structure-aware mutations of real and zoo models through the whole pipeline
 * (see {@link FuzzContract}). libFuzzer mutates the decisions: which seed, which mutations, which arenas, guard mode.
 *
 * <p>In the normal suite ({@code mvn test}) the {@code fuzz} Surefire execution runs it in fuzzing mode for
 * {@code maxDuration} after replaying the committed inputs in {@code MutatedModelFuzzTestInputs/}. A long run:
 * <pre>
 * JAZZER_FUZZ=1 nice -n 15 mvn -B -o -pl micro-runtime surefire:test@fuzz -Dtest=MutatedModelFuzzTest \
 *     -Djazzer.max_duration=20m
 * </pre>
 * Findings land in {@code MutatedModelFuzzTestInputs/} as decision strings; turn each into a model file under
 * {@code fuzz-regressions/} (see its README) so that it stays meaningful when the seeds change.
 */
class MutatedModelFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void mutatedModelsKeepTheContract(FuzzedDataProvider data) {
        Choices c = Choices.of(data);
        byte[] seed = Seeds.all().get(c.below(Seeds.all().size()));
        byte[] mutant = ModelMutator.mutate(seed, Seeds.all(), c);
        FuzzContract.check(mutant, FuzzContract.Settings.from(c));
    }

    @AfterAll
    static void statistics() {
        System.out.println("MutatedModelFuzzTest: " + FuzzContract.statistics());
    }
}
