package dev.mote.runtime.fuzz;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deterministic companion of the Jazzer fuzzers: a fixed number of seeded, structure-aware mutants of every seed
 * (the same {@link ModelMutator} and {@link FuzzContract}, decisions from a {@link SplittableRandom}), so that every
 * run of the suite checks the same inputs. A broken contract writes the input to {@code target/fuzz-findings/}.
 */
class RandomMutationFuzzTest {
    /** Mutants per seed; {@code -Dmote.fuzz.mutants=N} for a longer deterministic run. */
    private static final int MUTANTS_PER_SEED = Integer.getInteger("mote.fuzz.mutants", 150);
    /** {@code -Dmote.fuzz.seed=N} explores other mutants. */
    private static final long SEED = Long.getLong("mote.fuzz.seed", 20261125L);
    /** {@code -Dmote.fuzz.keepGoing=true} collects every distinct finding instead of stopping at the first. */
    private static final boolean KEEP_GOING = Boolean.getBoolean("mote.fuzz.keepGoing");
    private final Map<String, String> distinct = new java.util.TreeMap<>();

    @Test
    void seededMutantsOfEverySeedKeepTheContract() throws IOException {
        List<byte[]> seeds = Seeds.all();
        SplittableRandom random = new SplittableRandom(SEED);
        Map<FuzzContract.Outcome, Integer> outcomes = new EnumMap<>(FuzzContract.Outcome.class);
        for (int s = 0; s < seeds.size(); s++) {
            // The seed itself first: every zoo model and real model must keep the contract unmutated.
            check(seeds.get(s), new FuzzContract.Settings(512, 64 << 10, dev.mote.runtime.ArenaTarget.CORTEX_M,
                    true, s), outcomes, Seeds.names().get(s));
            for (int n = 0; n < MUTANTS_PER_SEED; n++) {
                Choices c = Choices.of(random.split());
                byte[] mutant = ModelMutator.mutate(seeds.get(s), seeds, c);
                check(mutant, FuzzContract.Settings.from(c), outcomes, Seeds.names().get(s) + " mutant " + n);
            }
        }
        System.out.println("RandomMutationFuzzTest: " + outcomes + "; " + FuzzContract.statistics());
        if (!distinct.isEmpty()) {
            distinct.forEach((k, v) -> System.out.println("FINDING " + k + "\n    " + v));
            throw new AssertionError(distinct.size() + " distinct findings: " + distinct.keySet());
        }
        assertTrue(outcomes.getOrDefault(FuzzContract.Outcome.RAN, 0) > 0, "some mutants should run: " + outcomes);
        assertTrue(outcomes.getOrDefault(FuzzContract.Outcome.REFUSED_BY_READER, 0) > 0, outcomes::toString);
    }

    /** Exception class and the first frames in Mote's main code: one entry per distinct bug. */
    private static String signature(Throwable f) {
        Throwable root = f.getCause() == null ? f : f.getCause();
        StringBuilder s = new StringBuilder(root.getClass().getSimpleName());
        if (root instanceof FuzzContract.Finding) {
            s.append(' ').append(root.getMessage().replaceAll(" for input sha256.*", ""));
        }
        int frames = 0;
        for (StackTraceElement e : root.getStackTrace()) {
            if (e.getClassName().startsWith("dev.mote.runtime") && !e.getClassName().contains(".fuzz.") && frames++ < 2) {
                s.append(" @").append(e.getClassName().replace("dev.mote.runtime.", "")).append(':')
                        .append(e.getLineNumber());
            }
        }
        return s.toString();
    }

    private void check(byte[] model, FuzzContract.Settings settings, Map<FuzzContract.Outcome, Integer> outcomes,
                              String label) throws IOException {
        try {
            outcomes.merge(FuzzContract.check(model, settings), 1, Integer::sum);
        } catch (FuzzContract.Finding f) {
            Path file = FuzzContract.saveFinding(model);
            if (KEEP_GOING) {
                distinct.putIfAbsent(signature(f), label + ": " + f.getMessage() + " -> " + file);
                return;
            }
            throw new AssertionError(label + ": " + f.getMessage() + " (input written to " + file
                    + ")", f);
        }
    }
}
