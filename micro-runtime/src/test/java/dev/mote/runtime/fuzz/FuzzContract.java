package dev.mote.runtime.fuzz;

import dev.mote.runtime.ArenaGuardException;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.ArenaTooSmallException;
import dev.mote.runtime.KernelFailureException;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.MicroTensor;
import dev.mote.vocabulary.MoteException;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.ModelWriter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hostile-input contract, checked for one input: the bytes go through read → validate → write and re-read →
 * allocate with a small and a large arena → invoke (and, with guard mode, invoke again in arena guard mode, whose
 * outputs must be identical). The only exceptions allowed out are Mote's typed ones ({@link MoteException} and its
 * subclasses, except {@link ArenaGuardException}, which means a kernel wrote where it must not, and
 * {@link KernelFailureException}, which means a kernel's prepare threw something other than a refusal). Every other
 * throwable, an input that costs more than {@link #MAX_CPU_NANOS} of CPU, or one that makes Mote allocate far more
 * than its size and arenas justify, is a {@link Finding}.
 */
public final class FuzzContract {
    /** Per-input CPU budget (thread CPU time, so other processes on the machine do not count). */
    public static final long MAX_CPU_NANOS = 1_000_000_000L;
    /** Heap Mote may allocate per input beyond the arenas it was given, plus {@link #ALLOCATION_PER_INPUT_BYTE}. */
    static final long ALLOCATION_BASE = 32L << 20;
    static final long ALLOCATION_PER_INPUT_BYTE = 256;
    static final int[] SMALL_ARENAS = {0, 64, 512, 2048};
    static final int[] LARGE_ARENAS = {16 << 10, 64 << 10};

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OpResolver RESOLVER = OpResolver.allBuiltins();
    private static long slowestNanos;
    private static long inputs;

    static {
        warmUp();
    }

    private FuzzContract() {
    }

    /** How one input is run: arena sizes, the target ABI, guard mode and the seed of the input tensors' bytes. */
    public record Settings(int smallArena, int largeArena, ArenaTarget target, boolean guard, long inputSeed) {
        public static Settings from(Choices c) {
            return new Settings(SMALL_ARENAS[c.below(SMALL_ARENAS.length)], LARGE_ARENAS[c.below(LARGE_ARENAS.length)],
                    c.bool() ? ArenaTarget.CORTEX_M : ArenaTarget.HOST_64, c.bool(), c.anyInt());
        }
    }

    /** How far an input got. */
    public enum Outcome {
        /** The reader or validator refused the bytes. */
        REFUSED_BY_READER,
        /** Allocation refused it (unsupported op, kernel refusal, or even the large arena too small). */
        REFUSED_AT_ALLOCATION,
        /** The model allocated and ran; invoke may still have refused it with a typed exception. */
        RAN
    }

    /** A broken contract: the message says what, where, and for which input. */
    public static final class Finding extends AssertionError {
        Finding(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Checks the contract for {@code model}; throws {@link Finding} if it is broken. */
    public static Outcome check(byte[] model, Settings settings) {
        return check(model, settings, RESOLVER);
    }

    /** {@link #check(byte[], Settings)} with other kernels (to test the contract itself). */
    static Outcome check(byte[] model, Settings settings, OpResolver resolver) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = allocatedBytes();
        String[] stage = {"read"};
        Outcome outcome;
        try {
            outcome = pipeline(model, settings, resolver, stage);
        } catch (ArenaGuardException e) {
            throw finding("arena guard violation at " + stage[0], model, settings, e);
        } catch (KernelFailureException e) {
            throw finding("kernel failure at " + stage[0], model, settings, e);
        } catch (MoteException e) {
            outcome = stage[0].equals("read") ? Outcome.REFUSED_BY_READER
                    : stage[0].startsWith("allocate") ? Outcome.REFUSED_AT_ALLOCATION : Outcome.RAN;
        } catch (Finding f) {
            throw f;
        } catch (Throwable t) {
            throw finding(t.getClass().getName() + " escaped at " + stage[0], model, settings, t);
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        synchronized (FuzzContract.class) {
            inputs++;
            slowestNanos = Math.max(slowestNanos, cpu);
        }
        if (cpu > MAX_CPU_NANOS) {
            throw finding("slow input: " + cpu / 1_000_000 + " ms of CPU (limit " + MAX_CPU_NANOS / 1_000_000
                    + " ms), outcome " + outcome, model, settings, null);
        }
        long allowed = ALLOCATION_BASE + ALLOCATION_PER_INPUT_BYTE * model.length
                + 4L * (settings.smallArena + settings.largeArena);
        long allocated = allocatedBytes() - alloc0;
        if (alloc0 >= 0 && allocated > allowed) {
            throw finding("allocated " + allocated + " bytes of heap for one input (allowance " + allowed + ")",
                    model, settings, null);
        }
        return outcome;
    }

    private static Outcome pipeline(byte[] bytes, Settings s, OpResolver resolver, String[] stage) {
        stage[0] = "read";
        Model model = ModelReader.read(bytes);
        stage[0] = "write and re-read";
        byte[] rewritten = ModelWriter.write(model);
        try {
            Model again = ModelReader.read(rewritten);
            if (again.mainSubgraph().tensors().size() != model.mainSubgraph().tensors().size()
                    || again.mainSubgraph().operators().size() != model.mainSubgraph().operators().size()) {
                throw new Finding("the re-read model differs in tensor or operator count", null);
            }
        } catch (MoteException e) {
            throw new Finding("Mote refused its own rewrite of a model it accepted: " + e.getMessage(), e);
        }
        for (int arena : new int[] {s.smallArena, s.largeArena}) {
            stage[0] = "allocate(" + arena + ")";
            MicroInterpreter plain = new MicroInterpreter(bytes, resolver, arena,
                    MicroInterpreter.Options.defaults().withTarget(s.target).withArenaGuard(false));
            try {
                plain.allocateTensors();
            } catch (ArenaTooSmallException e) {
                if (e.neededBytes() <= e.givenBytes()) {
                    throw new Finding("ArenaTooSmallException says " + e.neededBytes() + " needed, "
                            + e.givenBytes() + " given", e);
                }
                continue;
            }
            if (plain.arenaUsedBytes() > arena) {
                throw new Finding("allocated in an arena of " + arena + " bytes but reports "
                        + plain.arenaUsedBytes() + " used", null);
            }
            stage[0] = "invoke(" + arena + ")";
            List<byte[]> expected = run(plain, s.inputSeed);
            if (s.guard) {
                stage[0] = "guarded allocate(" + arena + ")";
                MicroInterpreter guarded = new MicroInterpreter(bytes, resolver, arena,
                        MicroInterpreter.Options.defaults().withTarget(s.target).withArenaGuard(true));
                guarded.allocateTensors();
                stage[0] = "guarded invoke(" + arena + ")";
                List<byte[]> actual = run(guarded, s.inputSeed);
                for (int i = 0; i < expected.size(); i++) {
                    if (!java.util.Arrays.equals(expected.get(i), actual.get(i))) {
                        throw new Finding("output " + i + " differs between the planned arena and guard mode's "
                                + "unshared layout: a kernel reads bytes it did not write or was not given", null);
                    }
                }
            }
            return Outcome.RAN;
        }
        return Outcome.REFUSED_AT_ALLOCATION;
    }

    /** Fills every writable input with seeded bytes, invokes once, and returns the outputs' bytes. */
    private static List<byte[]> run(MicroInterpreter interpreter, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < interpreter.inputCount(); i++) {
            MicroTensor in = interpreter.input(i);
            if (!in.isConstant()) {
                byte[] data = new byte[in.byteSize()];
                random.nextBytes(data);
                in.copyFrom(data);
            }
        }
        interpreter.invoke();
        List<byte[]> outputs = new ArrayList<>();
        for (int i = 0; i < interpreter.outputCount(); i++) {
            outputs.add(interpreter.output(i).toByteArray());
        }
        return outputs;
    }

    private static Finding finding(String what, byte[] model, Settings s, Throwable cause) {
        return new Finding(what + " for input sha256 " + sha256(model).substring(0, 16) + " (" + model.length
                + " bytes), " + s + (cause == null ? "" : ": " + cause), cause);
    }

    /** Writes a finding's model to {@code target/fuzz-findings/<sha256 prefix>.tflite} and returns the path. */
    public static java.nio.file.Path saveFinding(byte[] model) {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "fuzz-findings");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path file = dir.resolve(sha256(model).substring(0, 16) + ".tflite");
            java.nio.file.Files.write(file, model);
            return file.toAbsolutePath();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long allocatedBytes() {
        if (THREADS instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    /** Loads and JIT-warms every class the pipeline uses, so that class loading does not count as a slow input. */
    private static void warmUp() {
        for (byte[] seed : Seeds.all()) {
            for (boolean guard : new boolean[] {false, true}) {
                try {
                    pipeline(seed, new Settings(512, 64 << 10, ArenaTarget.CORTEX_M, guard, 1), RESOLVER,
                            new String[1]);
                } catch (Throwable ignored) {
                    // findings in seeds are reported when the seeds are checked
                }
            }
        }
    }

    /** The largest CPU time one input took so far, in nanoseconds, and how many inputs were checked. */
    public static synchronized String statistics() {
        return inputs + " inputs checked, slowest " + slowestNanos / 1_000_000 + " ms of CPU";
    }
}
