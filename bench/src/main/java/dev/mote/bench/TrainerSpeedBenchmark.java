package dev.mote.bench;

import dev.mote.dsl.ModelSpec;
import dev.mote.samples.FashionMnist;
import dev.mote.samples.FashionMnistCnn;
import dev.mote.samples.HelloWorldSine;
import dev.mote.trainer.Calibrator;
import dev.mote.trainer.EpochResult;
import dev.mote.trainer.Predictor;
import dev.mote.trainer.TrainedModel;
import dev.mote.trainer.Trainer;
import dev.mote.trainer.TrainingData;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training speed of Mote's trainer (DL4J) against the PyTorch peers in {@code ../shared/peers} on the same models,
 * data, optimizer, batch size and epochs, in one run: the Fashion-MNIST sample's CNN (float epochs, then QAT epochs)
 * and the Hello World sine MLP (1,500 float epochs of 800 examples in batches of 100, then QAT epochs). Mote's epoch
 * time is the wall time between two epoch ends (training steps plus the loop's per-epoch validation pass, so it
 * slightly overstates the training cost); the first epoch, which includes building the network and JIT warm-up, is
 * left out when there are more. PyTorch runs as a subprocess ({@code /usr/bin/python3}) with 1 and 2 threads and is
 * skipped with a message if that interpreter has no torch.
 *
 * <pre>
 * mvn -B -q -pl bench -am test-compile exec:exec -Dexec.skip=true -Dbench.main=dev.mote.bench.TrainerSpeedBenchmark
 * mvn -B -q -pl bench -am test-compile exec:exec -Dexec.skip=true -Dbench.main=dev.mote.bench.TrainerSpeedBenchmark \
 *     -Dbench.args="--only fashion --threads 1,2 --epochs 3 --qat-epochs 2"
 * </pre>
 *
 * <p>{@code -Dexec.skip=true} keeps Maven from running the samples' main too (the bench module depends on the
 * samples for their models and the Fashion-MNIST reader); the bench's own exec configuration is not skipped. The
 * exec configuration sets {@code OMP_NUM_THREADS=1} as the samples do.
 *
 * <p>Arguments: {@code --only fashion|sine}, {@code --threads 1,2} (Mote's nd4j threads, each a separate run),
 * {@code --train N} (Fashion images before the 10 % validation split, default 6,000 → 5,400 trained),
 * {@code --test N} (default 2,000), {@code --epochs N} (Fashion float epochs, default 3), {@code --qat-epochs N}
 * (default 2), {@code --sine-epochs N} (default 1,500), {@code --sine-qat-epochs N} (default 100),
 * {@code --no-torch}, {@code --peers DIR} (default {@code /work/shared/peers}).
 */
public final class TrainerSpeedBenchmark {

    private static final String PYTHON = "/usr/bin/python3";

    private TrainerSpeedBenchmark() {
    }

    /** One measured configuration of one engine. */
    private record Row(String model, String engine, int threads, double floatEpoch, double qatEpoch,
                       String quality) {
    }

    public static void main(String[] args) throws Exception {
        String only = null;
        int[] threads = {1, 2};
        int train = 6000;
        int test = 2000;
        int epochs = 3;
        int qatEpochs = 2;
        int sineEpochs = 1500;
        int sineQatEpochs = 100;
        boolean torch = true;
        Path peers = Path.of("/work/shared/peers");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> only = args[++i];
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--train" -> train = Integer.parseInt(args[++i]);
                case "--test" -> test = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--qat-epochs" -> qatEpochs = Integer.parseInt(args[++i]);
                case "--sine-epochs" -> sineEpochs = Integer.parseInt(args[++i]);
                case "--sine-qat-epochs" -> sineQatEpochs = Integer.parseInt(args[++i]);
                case "--no-torch" -> torch = false;
                case "--peers" -> peers = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        String torchProblem = torch ? torchProblem() : "--no-torch";
        if (torchProblem != null) {
            System.out.println("PyTorch skipped: " + torchProblem);
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.arch"));
        List<Row> rows = new ArrayList<>();
        if (only == null || only.equals("fashion")) {
            if (!FashionMnist.isAvailable(FashionMnist.DEFAULT_DIRECTORY)) {
                System.out.println("Fashion-MNIST skipped: not in " + FashionMnist.DEFAULT_DIRECTORY
                        + " (apt-get install -y dataset-fashion-mnist)");
            } else {
                for (int t : threads) {
                    rows.add(fashion(train, test, epochs, qatEpochs, t));
                }
                if (torchProblem == null) {
                    for (int t : new int[] {1, 2}) {
                        rows.add(torchFashion(peers, train - train / 10, test, epochs, t));
                    }
                }
            }
        }
        if (only == null || only.equals("sine")) {
            for (int t : threads) {
                rows.add(sine(sineEpochs, sineQatEpochs, t));
            }
            if (torchProblem == null) {
                for (int t : new int[] {1, 2}) {
                    rows.add(torchSine(peers, t));
                }
            }
        }
        print(rows);
    }

    private static Row fashion(int trainImages, int testImages, int epochs, int qatEpochs, int threads)
            throws IOException {
        FashionMnist.Split trainSplit = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, true, trainImages);
        FashionMnist.Split testSplit = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, false, testImages);
        TrainingData data = TrainingData.classification(trainSplit.images(), trainSplit.labels(),
                FashionMnist.CLASSES);
        ModelSpec spec = FashionMnistCnn.spec(16);
        EpochClock clock = new EpochClock();
        Trainer trainer = Trainer.builder().epochs(epochs).batchSize(128).learningRate(3e-3).seed(42)
                .validationSplit(0.1).progressBar(false).threads(threads).listener(clock::epochEnded).build();
        clock.start();
        TrainedModel floatModel = trainer.train(spec, data);
        double floatEpoch = clock.steadyEpochSeconds();
        double floatCpu = clock.steadyEpochCpuSeconds();
        double floatAccuracy = accuracy(Predictor.floatModel(floatModel).classify(testSplit.images()),
                testSplit.labels());
        TrainedModel ptq = Calibrator.minMax().calibrate(floatModel,
                data.slice(0, Math.min(1000, data.size())));
        clock.start();
        TrainedModel qat = trainer.toBuilder().epochs(qatEpochs).learningRate(3e-4).build()
                .fineTuneQuantized(ptq, data);
        double qatEpoch = clock.steadyEpochSeconds();
        double qatCpu = clock.steadyEpochCpuSeconds();
        double qatAccuracy = accuracy(Predictor.int8Simulation(qat).classify(testSplit.images()), testSplit.labels());
        String quality = String.format(Locale.ROOT, "test acc float %.2f %%, QAT (int8 sim) %.2f %% after %d+%d ep",
                100 * floatAccuracy, 100 * qatAccuracy, epochs, qatEpochs);
        System.out.printf(Locale.ROOT, "mote fashion threads %d: float %.3f s/epoch (cpu %.3f s), qat %.3f s/epoch"
                + " (cpu %.3f s), %s%n", threads, floatEpoch, floatCpu, qatEpoch, qatCpu, quality);
        return new Row("fashion cnn (" + (trainImages - trainImages / 10) + " img, batch 128)", "mote", threads,
                floatEpoch, qatEpoch, quality);
    }

    private static Row sine(int epochs, int qatEpochs, int threads) {
        TrainingData data = HelloWorldSine.data();   // the sample's 1,000 noisy samples of sin(x)
        EpochClock clock = new EpochClock();
        Trainer trainer = Trainer.builder().epochs(epochs).batchSize(100).learningRate(0.01).seed(42)
                .validationSplit(0.2).progressBar(false).threads(threads).listener(clock::epochEnded).build();
        clock.start();
        TrainedModel floatModel = trainer.train(HelloWorldSine.spec(), data);
        double floatTotal = clock.totalSeconds();
        double floatEpoch = clock.steadyEpochSeconds();
        double floatCpu = clock.steadyEpochCpuSeconds();
        double floatRmse = rmse(Predictor.floatModel(floatModel));
        clock.start();
        TrainedModel qat = trainer.toBuilder().epochs(qatEpochs).learningRate(0.001).build()
                .fineTuneQuantized(floatModel, data);
        double qatEpoch = clock.steadyEpochSeconds();
        double qatCpu = clock.steadyEpochCpuSeconds();
        double qatRmse = rmse(Predictor.int8Simulation(qat));
        String quality = String.format(Locale.ROOT, "RMSE vs sin float %.4f, QAT (int8 sim) %.4f; %d ep total %.1f s",
                floatRmse, qatRmse, epochs, floatTotal);
        System.out.printf(Locale.ROOT, "mote sine threads %d: float %.4f s/epoch (cpu %.4f s), qat %.4f s/epoch"
                + " (cpu %.4f s), %s%n", threads, floatEpoch, floatCpu, qatEpoch, qatCpu, quality);
        return new Row("sine mlp (800 ex, batch 100)", "mote", threads, floatEpoch, qatEpoch, quality);
    }

    private static double rmse(Predictor predictor) {
        int points = 101;
        float[][] grid = new float[points][1];
        for (int i = 0; i < points; i++) {
            grid[i][0] = (float) (2 * Math.PI * i / (points - 1));
        }
        float[][] out = predictor.predict(grid);
        double sum = 0;
        for (int i = 0; i < points; i++) {
            double d = out[i][0] - Math.sin(grid[i][0]);
            sum += d * d;
        }
        return Math.sqrt(sum / points);
    }

    private static double accuracy(int[] predicted, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }

    private static Row torchFashion(Path peers, int train, int test, int epochs, int threads)
            throws IOException, InterruptedException {
        List<String> out = python(peers.resolve("fashion_torch.py").toString(), "--train", String.valueOf(train),
                "--test", String.valueOf(test), "--epochs", String.valueOf(epochs), "--threads",
                String.valueOf(threads));
        Pattern p = Pattern.compile("epoch (\\d+): ([0-9.]+) s, .*test accuracy ([0-9.]+) %");
        List<Double> times = new ArrayList<>();
        String accuracy = "?";
        for (String line : out) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                times.add(Double.parseDouble(m.group(2)));
                accuracy = m.group(3);
            }
        }
        double epoch = times.isEmpty() ? Double.NaN : steady(times);
        System.out.printf(Locale.ROOT, "torch fashion threads %d: %.3f s/epoch, test acc %s %%%n", threads, epoch,
                accuracy);
        return new Row("fashion cnn (" + train + " img, batch 128)", "pytorch", threads, epoch, Double.NaN,
                "test acc float " + accuracy + " % after " + epochs + " ep");
    }

    private static Row torchSine(Path peers, int threads) throws IOException, InterruptedException {
        List<String> out = python(peers.resolve("sine_torch.py").toString(), String.valueOf(threads));
        Pattern p = Pattern.compile("training ([0-9.]+) s for (\\d+) epochs.*RMSE vs sin\\(x\\) ([0-9.]+)");
        for (String line : out) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                double total = Double.parseDouble(m.group(1));
                double epoch = total / Integer.parseInt(m.group(2));
                System.out.printf(Locale.ROOT, "torch sine threads %d: %.4f s/epoch (%.1f s total), RMSE %s%n",
                        threads, epoch, total, m.group(3));
                return new Row("sine mlp (800 ex, batch 100)", "pytorch", threads, epoch, Double.NaN,
                        "RMSE vs sin float " + m.group(3) + "; " + m.group(2) + " ep total " + m.group(1) + " s");
            }
        }
        throw new IOException("unexpected output of sine_torch.py: " + out);
    }

    private static List<String> python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(PYTHON);
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        int rc = process.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + rc + ": " + lines);
        }
        return lines;
    }

    /** Null if {@value #PYTHON} can import torch, else why not. */
    private static String torchProblem() throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        try {
            python("-c", "import torch");
            return null;
        } catch (IOException e) {
            return PYTHON + " has no torch (apt-get install -y --no-install-recommends python3-torch)";
        }
    }

    private static void print(List<Row> rows) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %-8s %3s %12s %12s %9s %9s %9s  %s%n", "model", "engine", "thr",
                "float s/ep", "qat s/ep", "qat/float", "vs pt 1t", "vs pt 2t", "quality after the same epochs");
        for (Row r : rows) {
            double pt1 = torchEpoch(rows, r.model(), 1);
            double pt2 = torchEpoch(rows, r.model(), 2);
            System.out.printf(Locale.ROOT, "%-34s %-8s %3d %12s %12s %9s %9s %9s  %s%n", r.model(), r.engine(),
                    r.threads(), seconds(r.floatEpoch()), seconds(r.qatEpoch()), ratio(r.qatEpoch(), r.floatEpoch()),
                    ratio(r.floatEpoch(), pt1), ratio(r.floatEpoch(), pt2), r.quality());
        }
    }

    private static double torchEpoch(List<Row> rows, String model, int threads) {
        for (Row r : rows) {
            if (r.engine().equals("pytorch") && r.model().equals(model) && r.threads() == threads) {
                return r.floatEpoch();
            }
        }
        return Double.NaN;
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, s < 0.1 ? "%.5f" : "%.3f", s);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    private static double steady(List<Double> epochs) {
        List<Double> rest = epochs.size() > 1 ? epochs.subList(1, epochs.size()) : epochs;
        double[] sorted = rest.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** Wall time per epoch from a trainer's listener. */
    private static final class EpochClock {
        private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private long start;
        private long last;
        private long lastCpu;
        private final List<Double> epochs = new ArrayList<>();
        private final List<Double> cpu = new ArrayList<>();

        void start() {
            epochs.clear();
            cpu.clear();
            start = System.nanoTime();
            last = start;
            lastCpu = OS.getProcessCpuTime();
        }

        void epochEnded(EpochResult result) {
            long now = System.nanoTime();
            long nowCpu = OS.getProcessCpuTime();
            epochs.add((now - last) / 1e9);
            cpu.add((nowCpu - lastCpu) / 1e9);
            last = now;
            lastCpu = nowCpu;
        }

        /** The mean process CPU time (all threads, JIT and GC included) per epoch after the first. */
        double steadyEpochCpuSeconds() {
            List<Double> rest = cpu.size() > 1 ? cpu.subList(1, cpu.size()) : cpu;
            return rest.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** The mean epoch after the first (the first if there is only one). */
        double steadyEpochSeconds() {
            List<Double> rest = epochs.size() > 1 ? epochs.subList(1, epochs.size()) : epochs;
            return rest.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double totalSeconds() {
            return (last - start) / 1e9;
        }
    }
}
