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
 * Findings land in {@code MutatedModelFuzzTestInputs/} as decision strings, and the model each stands for in
 * {@code target/fuzz-findings/}; commit that model under {@code fuzz-regressions/} (see its README), since a decision
 * string means another model when the seeds change.
 */
class MutatedModelFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void mutatedModelsKeepTheContract(FuzzedDataProvider data) {
        Mutant m = Mutant.of(Choices.of(data));
        try {
            FuzzContract.check(m.bytes, m.settings);
        } catch (FuzzContract.Finding f) {
            // Jazzer stores the decision string; keep the model it stands for too (replay a decision string in
            // regression mode: -Dmote.fuzz=0 with the file in MutatedModelFuzzTestInputs/).
            FuzzContract.saveFinding(m.bytes);
            throw f;
        }
    }

    /** The model and settings a decision string stands for (the same with and without Jazzer). */
    record Mutant(byte[] bytes, FuzzContract.Settings settings) {
        static Mutant of(Choices c) {
            byte[] seed = Seeds.all().get(c.below(Seeds.all().size()));
            byte[] mutant = ModelMutator.mutate(seed, Seeds.all(), c);
            return new Mutant(mutant, FuzzContract.Settings.from(c));
        }
    }

    @AfterAll
    static void statistics() {
        System.out.println("MutatedModelFuzzTest: " + FuzzContract.statistics());
    }
}
