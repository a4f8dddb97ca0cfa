package dev.mote.runtime.tflm;

import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.vocabulary.MoteException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@link DeviceCase}s in Mote's {@link MicroInterpreter} and in real TFLM ({@link RealTflm}, without the arena
 * search) and compares output 0 byte for byte. The cases of one call run on {@link #THREADS} threads (each TFLM run
 * is its own process).
 */
public final class DeviceComparison {
    /** Arena for both runtimes: far above what the small test models need. */
    public static final int ARENA_BYTES = 256 * 1024;
    /** Worker threads ({@code -Dmote.tflm.threads=N}). */
    static final int THREADS = Integer.getInteger("mote.tflm.threads", 2);

    private DeviceComparison() {
    }

    /** The case count per variant: {@code -Dmote.tflm.cases=N}, else {@code bounded}. */
    public static int cases(int bounded) {
        return Integer.getInteger("mote.tflm.cases", bounded);
    }

    /** What one case gave. {@code moteRefusal} is null if Mote ran the model. */
    public record Outcome(DeviceCase c, byte[] mote, String moteRefusal, RealTflm.Run tflm) {
        boolean tflmRan() {
            return tflm.allocated() && tflm.invoked();
        }

        boolean moteRan() {
            return moteRefusal == null;
        }

        /** Both ran and output 0 is the same bytes. */
        public boolean identical() {
            return moteRan() && tflmRan() && java.util.Arrays.equals(mote, tflm.output());
        }

        /** Mote's and TFLM's verdicts on the model differ. */
        public boolean refusalMismatch() {
            return moteRan() != tflmRan();
        }

        public String explain() {
            if (refusalMismatch()) {
                return c + "\n    Mote " + (moteRan() ? "runs it" : "refuses it: " + moteRefusal) + "; TFLM "
                        + (tflmRan() ? "runs it" : "refuses it: " + tflmFailure());
            }
            if (!moteRan()) {
                return c + "\n    both refuse it: Mote " + moteRefusal + "; TFLM " + tflmFailure();
            }
            byte[] t = tflm.output();
            if (identical()) {
                return c + "\n    identical (" + t.length + " bytes)";
            }
            if (mote.length != t.length) {
                return c + "\n    output size: Mote " + mote.length + " bytes, TFLM " + t.length + " bytes";
            }
            int first = -1;
            int count = 0;
            for (int i = 0; i < mote.length; i++) {
                if (mote[i] != t[i]) {
                    count++;
                    first = first < 0 ? i : first;
                }
            }
            return c + "\n    " + count + " of " + mote.length + " output bytes differ; first at byte " + first
                    + ": Mote " + mote[first] + ", TFLM " + t[first] + " (" + window(mote, first) + " vs "
                    + window(t, first) + ")";
        }

        private String tflmFailure() {
            String[] lines = tflm.log().strip().split("\n");
            String tail = String.join(" | ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 3),
                    lines.length));
            return (tflm.allocated() ? "Invoke failed" : "AllocateTensors failed") + " (log: " + tail + ")";
        }

        private static String window(byte[] b, int at) {
            int from = Math.max(0, at - at % 4 - 4);
            int to = Math.min(b.length, from + 12);
            StringBuilder s = new StringBuilder("[");
            for (int i = from; i < to; i++) {
                s.append(i == from ? "" : ",").append(b[i]);
            }
            return s.append("] from byte ").append(from).toString();
        }
    }

    /** Runs one case in Mote and in {@code tflm}. */
    public static Outcome run(RealTflm tflm, DeviceCase c) {
        byte[] mote = null;
        String refusal = null;
        try {
            MicroInterpreter interpreter = new MicroInterpreter(c.model(), OpResolver.allBuiltins(), ARENA_BYTES);
            interpreter.allocateTensors();
            for (int i = 0; i < c.inputs().size(); i++) {
                interpreter.input(i).copyFrom(c.inputs().get(i));
            }
            interpreter.invoke();
            mote = interpreter.output(0).toByteArray();
        } catch (MoteException e) {
            refusal = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        RealTflm.Run run = tflm.run(c.model(), ARENA_BYTES, c.concatenatedInputs(), false);
        return new Outcome(c, mote, refusal, run);
    }

    /** Runs cases 1..{@code count} of {@code variant} on {@code threads} threads. */
    public static List<Outcome> runAll(RealTflm tflm, Variant variant, int count) {
        List<DeviceCase> cases = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            cases.add(variant.caseAt(i));
        }
        return runAll(tflm, cases);
    }

    /** Runs the cases on {@link #THREADS} threads; outcomes in the order of {@code cases}. */
    public static List<Outcome> runAll(RealTflm tflm, List<DeviceCase> cases) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
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

    /**
     * Prints one table row ({@code target op-variant cases identical}) and fails, listing up to 5 cases, unless every
     * case ran in both and gave identical output bytes.
     */
    public static void assertAllIdentical(String target, String variant, List<Outcome> outcomes) {
        long identical = outcomes.stream().filter(Outcome::identical).count();
        System.out.printf("TFLM-DIFF %-9s %-32s cases %5d identical %5d%n", target, variant, outcomes.size(),
                identical);
        List<Outcome> bad = outcomes.stream().filter(o -> !o.identical()).toList();
        if (!bad.isEmpty()) {
            StringBuilder msg = new StringBuilder(variant + " on " + target + ": " + bad.size() + " of "
                    + outcomes.size() + " cases are not identical to real TFLM:");
            bad.stream().limit(5).forEach(o -> msg.append("\n  ").append(o.explain()));
            fail(msg.toString());
        }
    }
}
