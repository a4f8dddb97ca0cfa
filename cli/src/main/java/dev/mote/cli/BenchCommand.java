package dev.mote.cli;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.Profiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/** {@code mote bench MODEL [--iterations N]}: invoke latency after warm-up. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time invoke() after warm-up on seeded random inputs: mean, median, min and p90.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1000",
            description = "Timed invocations, 1 or more (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Untimed invocations first, 0 or more (default: as many as --iterations, at least 100).")
    Integer warmup;

    @Option(names = "--arena", paramLabel = "BYTES", description = "Arena size (default: the smallest that fits).")
    Integer arena;

    @Option(names = "--profile", description = "Also print the per-operator time table.")
    boolean profile;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random input bytes (default: 1).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        UsageException.requireAtLeast("--iterations", iterations, 1, "a count");
        if (warmup != null) {
            UsageException.requireAtLeast("--warmup", warmup, 0, "a count");
        }
        Session.checkArena(arena);
        int warm = warmup != null ? warmup : Math.max(100, iterations);
        Session session = Session.open(ModelFile.read(model), arena, ArenaTarget.CORTEX_M);
        Random random = new Random(seed);
        for (int i = 0; i < session.interpreter.inputCount(); i++) {
            MicroTensor t = session.interpreter.input(i);
            byte[] bytes = new byte[t.byteSize()];
            random.nextBytes(bytes);
            if (t.type() == dev.mote.vocabulary.TensorType.FLOAT32) {
                float[] f = new float[t.elementCount()];
                for (int k = 0; k < f.length; k++) {
                    f[k] = (float) random.nextGaussian();
                }
                t.setFloats(f);
            } else {
                t.copyFrom(bytes);
            }
        }
        for (int i = 0; i < warm; i++) {
            session.interpreter.invoke();
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            session.interpreter.invoke();
            nanos[i] = System.nanoTime() - t0;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(nanos).average().orElse(0);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model      %s (%d operators)%n", model, session.interpreter.operatorCount());
        out.printf(Locale.ROOT, "invoke     %,d timed after %,d warm-up invocations%n", iterations, warm);
        out.printf(Locale.ROOT, "mean       %,.2f us%n", mean / 1e3);
        out.printf(Locale.ROOT, "median     %,.2f us%n", median(sorted) / 1e3);
        out.printf(Locale.ROOT, "min        %,.2f us%n", sorted[0] / 1e3);
        out.printf(Locale.ROOT, "p90        %,.2f us%n",
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)]
                / 1e3);
        if (profile) {
            out.println();
            out.print(Profiler.profile(session.interpreter, 0, iterations).toTable());
        }
        out.flush();
        return 0;
    }

    static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
