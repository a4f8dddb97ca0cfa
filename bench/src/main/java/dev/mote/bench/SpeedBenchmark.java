package dev.mote.bench;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.ReferenceModels;
import dev.mote.runtime.testing.TfliteOracle;
import dev.mote.vocabulary.FileSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Steady-state {@code invoke()} latency of Mote's interpreter and of the real TFLite interpreter (desktop TFLite
 * 2.8 from bytedeco, builtin optimized kernels, no delegates, one thread) on the same model bytes and inputs, in one
 * JVM: after a warm-up, rounds alternate a timed batch of Mote invocations with a timed batch of TFLite
 * invocations; the figure per engine is the median over rounds of the batch mean. Before timing, the outputs of the
 * two are compared (desktop TFLite's optimized kernels may differ from TFLM's reference arithmetic by one LSB).
 *
 * <pre>
 * mvn -B -q -pl bench -am test-compile exec:exec -Dexec.skip=true      # all models (exec.skip: not the samples)
 * mvn -B -q -pl bench -am test-compile exec:exec -Dexec.skip=true -Dbench.args="--rounds 31 --warmup-seconds 3"
 * mvn -B -q -pl bench -am test-compile exec:exec -Dexec.skip=true -Dbench.args="--only ds_cnn --write-cnn /tmp/ds_cnn.tflite"
 * </pre>
 */
public final class SpeedBenchmark {

    private record Case(String name, byte[] model, String note) {
    }

    private record Timing(double medianNanos, double minNanos) {
    }

    private SpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 21;
        double warmupSeconds = 2;
        double batchMillis = 50;
        String only = null;
        Path writeCnn = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(args[++i]);
                case "--batch-millis" -> batchMillis = Double.parseDouble(args[++i]);
                case "--only" -> only = args[++i];
                case "--write-cnn" -> writeCnn = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --rounds N, --warmup-seconds S, --batch-millis M, --only NAME, --write-cnn FILE)");
            }
        }
        Path models = ReferenceModels.directory();
        List<Case> cases = new ArrayList<>();
        if (models != null) {
            cases.add(new Case("hello_world_int8", Files.readAllBytes(models.resolve("hello_world_int8.tflite")), ""));
            cases.add(new Case("micro_speech_quantized",
                    Files.readAllBytes(models.resolve("micro_speech_quantized.tflite")), ""));
        } else {
            System.out.println("reference models not found (../shared/models); only the generated CNN runs");
        }
        DsCnnModel.Built cnn = DsCnnModel.build(42);
        if (writeCnn != null) {
            new FileSet().add(writeCnn, cnn.bytes()).write();
            System.out.println("wrote the generated CNN to " + writeCnn);
        }
        cases.add(new Case("ds_cnn_96x96 (generated)", cnn.bytes(),
                String.format(Locale.ROOT, "%,d weight bytes, %,d model bytes", cnn.weightBytes(), cnn.bytes().length)));

        System.out.printf(Locale.ROOT, "java %s, %s %s, %d cores; rounds %d, warm-up %.1f s per engine, batches of ~%.0f ms%n",
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), rounds, warmupSeconds, batchMillis);
        System.out.println();
        System.out.println("| model | Mote median µs/invoke | TFLite median µs/invoke | Mote / TFLite | Mote min | TFLite min | outputs | Mote kernel heap |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Case c : cases) {
            if (only != null && !c.name().startsWith(only)) {
                continue;
            }
            run(c, rounds, warmupSeconds, batchMillis);
        }
    }

    private static void run(Case c, int rounds, double warmupSeconds, double batchMillis) {
        MicroInterpreter mote;
        try {
            int arena = ArenaReport.of(c.model(), ArenaTarget.HOST_64).minimumArenaBytes();
            mote = new MicroInterpreter(c.model(), OpResolver.allBuiltins(), arena, ArenaTarget.HOST_64);
            mote.allocateTensors();
        } catch (RuntimeException e) {
            System.out.printf("| %s | not run: %s | | | | | | |%n", c.name(), e.getMessage());
            return;
        }
        try (TfliteOracle tflite = TfliteOracle.load(c.model())) {
            Random random = new Random(7);
            for (int i = 0; i < mote.inputCount(); i++) {
                byte[] in = new byte[mote.input(i).byteSize()];
                random.nextBytes(in);
                mote.input(i).copyFrom(in);
                tflite.setInput(i, in);
            }
            mote.invoke();
            tflite.invoke();
            String outputs = compare(mote.output(0).toByteArray(), tflite.output(0));

            warmUp(mote::invoke, warmupSeconds);
            warmUp(tflite::invoke, warmupSeconds);
            int moteBatch = batchSize(mote::invoke, batchMillis);
            int tfliteBatch = batchSize(tflite::invoke, batchMillis);
            double[] moteRounds = new double[rounds];
            double[] tfliteRounds = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                moteRounds[r] = timeBatch(mote::invoke, moteBatch);
                tfliteRounds[r] = timeBatch(tflite::invoke, tfliteBatch);
            }
            Timing m = summarize(moteRounds);
            Timing t = summarize(tfliteRounds);
            System.out.printf(Locale.ROOT, "| %s%s | %,.2f | %,.2f | %.2f× | %,.2f | %,.2f | %s | %,d B |%n", c.name(),
                    c.note().isEmpty() ? "" : " (" + c.note() + ")", m.medianNanos() / 1e3, t.medianNanos() / 1e3,
                    m.medianNanos() / t.medianNanos(), m.minNanos() / 1e3, t.minNanos() / 1e3, outputs,
                    mote.kernelHeapBytes());
        } catch (RuntimeException e) {
            System.out.printf("| %s | failed: %s | | | | | | |%n", c.name(), e);
        }
    }

    private static String compare(byte[] mote, byte[] tflite) {
        if (Arrays.equals(mote, tflite)) {
            return "identical";
        }
        int differing = 0;
        int worst = 0;
        for (int i = 0; i < Math.min(mote.length, tflite.length); i++) {
            if (mote[i] != tflite[i]) {
                differing++;
                worst = Math.max(worst, Math.abs(mote[i] - tflite[i]));
            }
        }
        return differing + " of " + mote.length + " bytes differ (max " + worst + ")";
    }

    private static void warmUp(Runnable invoke, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10; i++) {
                invoke.run();
            }
        }
    }

    private static int batchSize(Runnable invoke, double millis) {
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < millis * 1e6 / 4) {
            invoke.run();
            n++;
        }
        return Math.max(1, n * 4);
    }

    private static double timeBatch(Runnable invoke, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            invoke.run();
        }
        return (double) (System.nanoTime() - t0) / n;
    }

    private static Timing summarize(double[] perInvoke) {
        double[] s = perInvoke.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return new Timing(median, s[0]);
    }
}
