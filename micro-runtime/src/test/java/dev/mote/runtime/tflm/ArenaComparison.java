package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.ArenaUpperBound;
import dev.mote.runtime.testing.RealTflm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;


/**
 * Compares Mote's {@link ArenaReport} of a model with what real TFLM allocates for it ({@link RealTflm} with the
 * smallest-arena search): {@code arena_used_bytes()} in an arena of {@link #ARENA_BYTES} (a multiple of 16) and the
 * smallest arena with which {@code AllocateTensors()} succeeds. The cases of one call run on
 * {@link DeviceComparison#THREADS} threads (each TFLM run is its own process).
 */
public final class ArenaComparison {
    /** The arena both runtimes are given: a multiple of 16, far above what the test models need. */
    public static final int ARENA_BYTES = 256 * 1024;

    private ArenaComparison() {
    }

    /** One model's figures; {@code moteFailure} is set if Mote could not report. */
    public record Outcome(DeviceCase c, ArenaTarget target, ArenaReport mote, String moteFailure, ArenaReport upperBound,
                          RealTflm.Run tflm) {
        public boolean tflmAllocated() {
            return tflm.allocated();
        }

        /** Mote's report is exact and both of its figures equal TFLM's. */
        public boolean identical() {
            return mote != null && tflm.allocated() && mote.exact() && mote.usedBytes() == tflm.arenaUsedBytes()
                    && mote.minimumArenaBytes() == tflm.smallestArena();
        }

        /** Both of the upper-bound estimate's figures are at least TFLM's. */
        public boolean upperBoundHolds() {
            return upperBound != null && tflm.allocated() && upperBound.usedBytes() >= tflm.arenaUsedBytes()
                    && upperBound.minimumArenaBytes() >= tflm.smallestArena();
        }

        /**
         * Mote's report is not an under-report: flagged as an estimate with both figures at least TFLM's, or exact
         * and equal to TFLM's.
         */
        public boolean flaggedUpperBound() {
            return mote != null && tflm.allocated() && (mote.exact() ? identical()
                    : mote.usedBytes() >= tflm.arenaUsedBytes() && mote.minimumArenaBytes() >= tflm.smallestArena());
        }

        public String explain() {
            if (!tflm.allocated()) {
                return c + "\n    TFLM does not allocate it";
            }
            if (mote == null) {
                return c + "\n    Mote fails: " + moteFailure;
            }
            return c + "\n    used: Mote " + mote.usedBytes() + ", TFLM " + tflm.arenaUsedBytes() + "; smallest: Mote "
                    + mote.minimumArenaBytes() + ", TFLM " + tflm.smallestArena()
                    + (mote.exact() ? "" : "; Mote estimates " + mote.estimatedOps())
                    + (upperBound == null ? "" : "; upper bound alone: used " + upperBound.usedBytes() + ", smallest "
                    + upperBound.minimumArenaBytes());
        }
    }

    /** Mote's report and TFLM's figures for one model. */
    public static Outcome run(RealTflm tflm, DeviceCase c) {
        ArenaReport report = null;
        String failure = null;
        try {
            report = ArenaReport.of(c.model(), tflm.target());
        } catch (RuntimeException e) {
            failure = e.toString();
        }
        ArenaReport bound = null;
        try {
            bound = ArenaUpperBound.of(c.model(), tflm.target());
        } catch (RuntimeException e) {
            failure = (failure == null ? "" : failure + "; ") + "upper bound: " + e;
        }
        RealTflm.Run run = tflm.run(c.model(), ARENA_BYTES, c.concatenatedInputs(), true);
        return new Outcome(c, tflm.target(), report, failure, bound, run);
    }

    /** Runs the cases on {@link DeviceComparison#THREADS} threads; outcomes in the order of {@code cases}. */
    public static List<Outcome> runAll(RealTflm tflm, List<DeviceCase> cases) {
        ExecutorService pool = Executors.newFixedThreadPool(DeviceComparison.THREADS);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (DeviceCase c : cases) {
                futures.add(pool.submit(() -> run(tflm, c)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Cases 1..{@code count} of {@code variant}. */
    public static List<DeviceCase> cases(Variant variant, int count) {
        List<DeviceCase> cases = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            cases.add(variant.caseAt(i));
        }
        return cases;
    }

    /**
     * Prints one table row ({@code ARENA-DIFF target variant models identical}) and fails, listing up to 5 models,
     * unless every model TFLM allocates has an exact Mote report with both figures equal to TFLM's. Models TFLM
     * does not allocate are counted apart (they have no figures to compare).
     */
    public static void assertAllIdentical(String variant, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        String target = outcomes.get(0).target().cliName();
        List<Outcome> compared = outcomes.stream().filter(Outcome::tflmAllocated).toList();
        long identical = compared.stream().filter(Outcome::identical).count();
        System.out.printf("ARENA-DIFF %-9s %-34s models %4d identical %4d (used and smallest)%s%n", target, variant,
                compared.size(), identical, compared.size() < outcomes.size()
                        ? " (" + (outcomes.size() - compared.size()) + " not allocated by TFLM)" : "");
        fail(variant, target, compared.stream().filter(o -> !o.identical()).toList(), compared.size(),
                "models' arena figures differ from real TFLM's");
        fail(variant, target, compared.stream().filter(o -> !o.upperBoundHolds()).toList(), compared.size(),
                "models' upper-bound estimate (every operator estimated) is below real TFLM's figures");
    }

    /**
     * Prints one row ({@code ARENA-BOUND ...}) and fails unless, for every model TFLM allocates, Mote's report is
     * flagged as not exact with both its figures at least TFLM's, or exact and equal (configurations Mote's kernels
     * refuse, which Mote models by its upper bound).
     */
    public static void assertFlaggedUpperBounds(String variant, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        String target = outcomes.get(0).target().cliName();
        List<Outcome> compared = outcomes.stream().filter(Outcome::tflmAllocated).toList();
        long held = compared.stream().filter(Outcome::flaggedUpperBound).count();
        System.out.printf("ARENA-BOUND %-9s %-34s models %4d exact, or flagged and not below TFLM: %4d%s%n", target, variant,
                compared.size(), held, compared.size() < outcomes.size()
                        ? " (" + (outcomes.size() - compared.size()) + " not allocated by TFLM)" : "");
        fail(variant, target, compared.stream().filter(o -> !o.flaggedUpperBound()).toList(), compared.size(),
                "models' reports are not flagged upper bounds of real TFLM's figures");
    }

    private static void fail(String variant, String target, List<Outcome> bad, int of, String what) {
        if (!bad.isEmpty()) {
            StringBuilder msg = new StringBuilder(variant + " on " + target + ": " + bad.size() + " of " + of + " "
                    + what + ":");
            bad.stream().limit(5).forEach(o -> msg.append("\n  ").append(o.explain()));
            org.junit.jupiter.api.Assertions.fail(msg.toString());
        }
    }
}
