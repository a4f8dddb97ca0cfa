package dev.mote.samples;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.exporter.ExportedModel;
import dev.mote.exporter.ModelReport;
import dev.mote.exporter.TfliteExporter;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.budget.Budget;
import dev.mote.vocabulary.FileSet;
import dev.mote.vocabulary.Padding;
import dev.mote.trainer.Calibrator;
import dev.mote.trainer.EpochResult;
import dev.mote.trainer.Predictor;
import dev.mote.trainer.TrainedModel;
import dev.mote.trainer.Trainer;
import dev.mote.trainer.TrainingData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Real data end to end: a small depthwise-separable CNN declared with the DSL, trained on Fashion-MNIST, calibrated
 * for post-training int8 (PTQ), fine-tuned quantization-aware (QAT), exported, and evaluated on the test images
 * <em>on micro-runtime</em> (TFLM-exact int8 arithmetic in TFLM's smallest arena), then checked against a budget
 * of 64 KB flash and 32 KB arena on both targets.
 *
 * <p>Arguments: {@code [outputFolder] [--train N] [--test N] [--epochs N] [--qat-epochs N] [--width N]
 * [--batch N] [--seed N] [--lr X] [--qat-lr X] [--data DIR]} (defaults {@code target/fashion_mnist}, all 60,000
 * training and 10,000 test images, see {@link Config#full()}). A quick run:
 * {@code --train 6000 --test 2000 --epochs 2 --qat-epochs 1}.
 *
 * <p>The pipeline is callable from code with a smaller configuration:
 *
 * <pre>{@code
 * FashionMnistCnn.Result r = FashionMnistCnn.run(FashionMnistCnn.Config.full().toBuilder()
 *         .trainImages(6000).testImages(2000).epochs(2).qatEpochs(1).build());
 * double int8 = r.qat().accuracy();      // measured on micro-runtime
 * byte[] tflite = r.qatModel().bytes();
 * }</pre>
 */
public final class FashionMnistCnn {
    /** The flash budget from the sample's target: 64 KB of model bytes. */
    public static final int FLASH_BUDGET_BYTES = 64 * 1024;
    /** The RAM budget from the sample's target: 32 KB of TFLM arena. */
    public static final int RAM_BUDGET_BYTES = 32 * 1024;

    // BatchNorm's running statistics are what inference (and the folded export) uses. With Keras' momentum 0.99
    // they trail the weights by ~100 batches, with 0.9 by ~10: in short runs the float model was evaluated with
    // stale statistics (2 epochs on 5,400 images: 63.7 % at 0.9, 70.7 % at 0.5). One batch of 128 images gives
    // per-channel statistics over 6,000-25,000 values, so 0.5 costs no precision.
    private static final double BN_EPSILON = 1e-3;
    private static final double BN_MOMENTUM = 0.5;

    private FashionMnistCnn() {
    }

    /**
     * The model, SAME padding throughout (28×28×1 → 14×14 → 7×7): {@code conv 3×3 stride 2, width filters + BN +
     * ReLU → depthwise 3×3 + ReLU → pointwise 1×1, 2·width + BN + ReLU → depthwise 3×3 stride 2 + ReLU → pointwise
     * 1×1, 4·width + BN + ReLU → global average pool → dense 10 → softmax}. Width 16: 4,394 parameters, 8 TFLite ops,
     * a 10,992-byte int8 model.
     */
    public static ModelSpec spec(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        return MicroModel.sequential("fashion_mnist").input(FashionMnist.SIDE, FashionMnist.SIDE, 1)
                .conv2d(width, 3, 3).stride(2).padding(Padding.SAME).batchNorm(BN_EPSILON, BN_MOMENTUM).relu()
                .depthwiseConv2d(3, 3).padding(Padding.SAME).relu()
                .conv2d(2 * width, 1, 1).batchNorm(BN_EPSILON, BN_MOMENTUM).relu()
                .depthwiseConv2d(3, 3).stride(2).padding(Padding.SAME).relu()
                .conv2d(4 * width, 1, 1).batchNorm(BN_EPSILON, BN_MOMENTUM).relu()
                .globalAvgPool2d()
                .dense(FashionMnist.CLASSES).softmax()
                .build();
    }

    /**
     * What to train on and how. {@link #full()} is the sample's configuration; derive smaller ones with
     * {@link #toBuilder()}.
     *
     * @param dataDirectory     folder with the four IDX .gz files
     * @param trainImages       the first N training images used (≤ 60,000), of which {@code validationSplit} are
     *                          held out for early stopping
     * @param testImages        the first N test images evaluated (≤ 10,000)
     * @param epochs            float training epochs at most
     * @param patience          early-stopping patience in epochs (0 = off)
     * @param qatEpochs         quantization-aware fine-tuning epochs (the best, counting the start, is kept)
     * @param batchSize         mini-batch size for both phases
     * @param learningRate      Adam's learning rate for float training
     * @param qatLearningRate   Adam's learning rate for QAT
     * @param validationSplit   fraction of the training images held out
     * @param calibrationImages training images the PTQ calibration runs (min/max)
     * @param width             channels of the first convolution (the blocks have 2× and 4× that)
     * @param seed              seed of weight initialization, shuffling and the validation split
     * @param progressBar       show the trainer's console progress bar
     */
    public record Config(Path dataDirectory, int trainImages, int testImages, int epochs, int patience,
                         int qatEpochs, int batchSize, double learningRate, double qatLearningRate,
                         double validationSplit, int calibrationImages, int width, long seed, boolean progressBar) {
        public Config {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            requirePositive("train images", trainImages);
            requirePositive("test images", testImages);
            requirePositive("epochs", epochs);
            requirePositive("QAT epochs", qatEpochs);
            requirePositive("batch size", batchSize);
            requirePositive("calibration images", calibrationImages);
            requirePositive("width", width);
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            }
        }

        private static void requirePositive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + value);
            }
        }

        /** The sample: all 60,000 / 10,000 images, width 16, up to 10 epochs with patience 2, 2 QAT epochs. */
        public static Config full() {
            return new Config(FashionMnist.DEFAULT_DIRECTORY, 60_000, 10_000, 10, 2, 2, 128, 3e-3, 3e-4, 0.1, 1000,
                    16, 42, true);
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        /** Changes some of a {@link Config}'s values. */
        public static final class Builder {
            private Path dataDirectory;
            private int trainImages;
            private int testImages;
            private int epochs;
            private int patience;
            private int qatEpochs;
            private int batchSize;
            private double learningRate;
            private double qatLearningRate;
            private double validationSplit;
            private int calibrationImages;
            private int width;
            private long seed;
            private boolean progressBar;

            private Builder(Config c) {
                dataDirectory = c.dataDirectory();
                trainImages = c.trainImages();
                testImages = c.testImages();
                epochs = c.epochs();
                patience = c.patience();
                qatEpochs = c.qatEpochs();
                batchSize = c.batchSize();
                learningRate = c.learningRate();
                qatLearningRate = c.qatLearningRate();
                validationSplit = c.validationSplit();
                calibrationImages = c.calibrationImages();
                width = c.width();
                seed = c.seed();
                progressBar = c.progressBar();
            }

            public Builder dataDirectory(Path v) {
                dataDirectory = v;
                return this;
            }

            public Builder trainImages(int v) {
                trainImages = v;
                return this;
            }

            public Builder testImages(int v) {
                testImages = v;
                return this;
            }

            public Builder epochs(int v) {
                epochs = v;
                return this;
            }

            public Builder patience(int v) {
                patience = v;
                return this;
            }

            public Builder qatEpochs(int v) {
                qatEpochs = v;
                return this;
            }

            public Builder batchSize(int v) {
                batchSize = v;
                return this;
            }

            public Builder learningRate(double v) {
                learningRate = v;
                return this;
            }

            public Builder qatLearningRate(double v) {
                qatLearningRate = v;
                return this;
            }

            public Builder validationSplit(double v) {
                validationSplit = v;
                return this;
            }

            public Builder calibrationImages(int v) {
                calibrationImages = v;
                return this;
            }

            public Builder width(int v) {
                width = v;
                return this;
            }

            public Builder seed(long v) {
                seed = v;
                return this;
            }

            public Builder progressBar(boolean v) {
                progressBar = v;
                return this;
            }

            public Config build() {
                return new Config(dataDirectory, trainImages, testImages, epochs, patience, qatEpochs, batchSize,
                        learningRate, qatLearningRate, validationSplit, calibrationImages, width, seed, progressBar);
            }
        }
    }

    /** Wall time of each phase. */
    public record Timings(Duration load, Duration train, Duration ptq, Duration qat, Duration evaluate,
                          Duration total) {
    }

    /**
     * What a run produced. The int8 matrices come from the exported bytes run on micro-runtime; the float matrix from
     * the trained model in DL4J (BatchNorm folded).
     *
     * @param history every epoch of float training and QAT, in order
     */
    public record Result(Config config, ModelSpec spec, int trainImages, int testImages, ConfusionMatrix floatModel,
                         ConfusionMatrix ptq, ConfusionMatrix qat, ExportedModel ptqModel, ExportedModel qatModel,
                         ArenaReport cortexM, ArenaReport host64, List<EpochResult> history, Timings timings) {
        public Result {
            history = List.copyOf(history);
        }

        /** Float training epochs run (early stopping may end it before {@link Config#epochs()}). */
        public int trainedEpochs() {
            return (int) history.stream().filter(e -> e.phase().equals("train")).count();
        }

        /** QAT int8 accuracy minus float accuracy, in percentage points. */
        public double qatLossPoints() {
            return 100 * (floatModel.accuracy() - qat.accuracy());
        }

        /** The results as a Markdown table. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT,
                    "Test accuracy on %,d images (trained on %,d, %d epochs + %d QAT):%n%n", testImages, trainImages,
                    trainedEpochs(), history.size() - trainedEpochs()));
            sb.append("| model | accuracy | flash (model bytes) | arena Cortex-M (smallest) "
                    + "| arena x86-64 (smallest) |\n");
            sb.append("|---|---|---|---|---|\n");
            sb.append(String.format(Locale.ROOT, "| float (DL4J) | %.2f %% | | | |%n", 100 * floatModel.accuracy()));
            row(sb, "PTQ int8 (min/max), on micro-runtime", ptq, ptqModel);
            row(sb, "QAT int8, on micro-runtime", qat, qatModel);
            return sb.toString();
        }

        private static void row(StringBuilder sb, String name, ConfusionMatrix m, ExportedModel model) {
            byte[] bytes = model.bytes();
            sb.append(String.format(Locale.ROOT, "| %s | %.2f %% | %,d | %,d | %,d |%n", name, 100 * m.accuracy(),
                    bytes.length, ArenaReport.of(bytes, ArenaTarget.CORTEX_M).minimumArenaBytes(),
                    ArenaReport.of(bytes, ArenaTarget.HOST_64).minimumArenaBytes()));
        }
    }

    /**
     * Runs the whole pipeline: load, train, PTQ calibrate and export, QAT and export, evaluate on micro-runtime.
     *
     * @throws NoSuchFileException if the data set is missing (the message says how to install it)
     */
    public static Result run(Config config) throws IOException {
        return run(config, spec(config.width()));
    }

    /**
     * The same pipeline for any classifier of the 28×28 images: {@code spec}'s input is {@code [28, 28, 1]} or the
     * sequence {@code [28, 28]} (28 steps of one pixel row each, as {@link FashionMnistSequence} reads them; the
     * pixels are in the same order) and its output the 10 class probabilities.
     *
     * @throws NoSuchFileException if the data set is missing (the message says how to install it)
     */
    public static Result run(Config config, ModelSpec spec) throws IOException {
        long start = System.nanoTime();
        FashionMnist.requireAvailable(config.dataDirectory());
        FashionMnist.Split test = FashionMnist.load(config.dataDirectory(), false, config.testImages());
        TrainingData train = trainingData(FashionMnist.load(config.dataDirectory(), true, config.trainImages()));
        long loaded = System.nanoTime();

        List<EpochResult> history = new ArrayList<>();
        Trainer trainer = Trainer.builder().epochs(config.epochs()).batchSize(config.batchSize())
                .learningRate(config.learningRate()).seed(config.seed()).validationSplit(config.validationSplit())
                .earlyStopping(config.patience()).progressBar(config.progressBar()).listener(history::add).build();
        TrainedModel floatModel = trainer.train(spec, train);
        long trained = System.nanoTime();

        TrainedModel ptq = Calibrator.minMax()
                .calibrate(floatModel, train.slice(0, Math.min(train.size(), config.calibrationImages())));
        ExportedModel ptqModel = TfliteExporter.export(spec, ptq);
        long calibrated = System.nanoTime();

        TrainedModel qat = trainer.toBuilder().epochs(config.qatEpochs()).learningRate(config.qatLearningRate())
                .earlyStopping(0).build().fineTuneQuantized(ptq, train);
        ExportedModel qatModel = TfliteExporter.export(spec, qat);
        long finetuned = System.nanoTime();

        ConfusionMatrix floatMatrix = ConfusionMatrix.of(test.labels(),
                Predictor.floatModel(floatModel).classify(test.images()), FashionMnist.CLASSES);
        ConfusionMatrix ptqMatrix = ConfusionMatrix.of(test.labels(),
                new DeviceClassifier(ptqModel, ArenaTarget.CORTEX_M).classify(test.images()),
                FashionMnist.CLASSES);
        ConfusionMatrix qatMatrix = ConfusionMatrix.of(test.labels(),
                new DeviceClassifier(qatModel, ArenaTarget.CORTEX_M).classify(test.images()),
                FashionMnist.CLASSES);
        byte[] qatBytes = qatModel.bytes();
        long evaluated = System.nanoTime();

        Timings timings = new Timings(Duration.ofNanos(loaded - start), Duration.ofNanos(trained - loaded),
                Duration.ofNanos(calibrated - trained), Duration.ofNanos(finetuned - calibrated),
                Duration.ofNanos(evaluated - finetuned), Duration.ofNanos(evaluated - start));
        return new Result(config, spec, train.size(), test.size(), floatMatrix, ptqMatrix, qatMatrix, ptqModel,
                qatModel, ArenaReport.of(qatBytes, ArenaTarget.CORTEX_M), ArenaReport.of(qatBytes, ArenaTarget.HOST_64),
                history, timings);
    }

    /** Checks {@code tflite} against 64 KB flash and 32 KB arena on both targets. */
    public static void checkBudget(byte[] tflite) {
        for (ArenaTarget target : ArenaTarget.values()) {
            Budget.ram(RAM_BUDGET_BYTES).flash(FLASH_BUDGET_BYTES).target(target).check(tflite);
        }
    }

    private static TrainingData trainingData(FashionMnist.Split split) {
        return TrainingData.classification(split.images(), split.labels(), FashionMnist.CLASSES);
    }

    /**
     * Writes the QAT model (.tflite, C array for Cortex-M, standalone C), the PTQ model and the QAT confusion matrix
     * into {@code folder} (created if missing) as one {@link FileSet}: all of them, or none and the folder as it was.
     *
     * @throws dev.mote.vocabulary.FileWriteException if a file cannot be written
     */
    public static List<Path> writeOutputs(Result result, Path folder) throws IOException {
        Files.createDirectories(folder);
        FileSet files = new FileSet()
                .add(folder.resolve("fashion_mnist.tflite"), result.qatModel().bytes())
                .add(folder.resolve("fashion_mnist_ptq.tflite"), result.ptqModel().bytes());
        result.qatModel().cArray("fashion_mnist_model_data", ArenaTarget.CORTEX_M).addTo(files, folder);
        result.qatModel().generatedC("fashion_mnist").addTo(files, folder);
        files.add(folder.resolve("confusion_matrix_qat_int8.csv"), result.qat().toCsv(FashionMnist.CLASS_NAMES));
        files.add(folder.resolve("results.md"), result.table()
                + "\nQAT int8 on micro-runtime, confusion matrix:\n\n```\n"
                + result.qat().toText(FashionMnist.CLASS_NAMES) + "```\n");
        return files.write();
    }

    public static void main(String[] args) throws Exception {
        FashionArguments parsed = FashionArguments.parse(args, "FashionMnistCnn", Path.of("target/fashion_mnist"),
                Config.full().toBuilder(), List.of("--train", "--test", "--epochs", "--qat-epochs", "--width", "--batch",
                        "--seed", "--lr", "--qat-lr", "--data"));
        Path out = parsed.output();
        Config config = parsed.config();
        System.out.println(ModelReport.of(spec(config.width())));
        Result r;
        try {
            r = run(config);
        } catch (NoSuchFileException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        List<Path> written = writeOutputs(r, out);

        System.out.println();
        System.out.print(r.table());
        System.out.printf(Locale.ROOT, "%nQAT int8 vs float: %+.2f pp, PTQ int8 vs float: %+.2f pp (target: QAT at"
                        + " most 0.5 pp below float: %s)%n", -r.qatLossPoints(),
                100 * (r.ptq().accuracy() - r.floatModel().accuracy()), r.qatLossPoints() <= 0.5 ? "met" : "MISSED");
        System.out.println("\nQAT int8 on micro-runtime, per class:");
        System.out.print(r.qat().toText(FashionMnist.CLASS_NAMES));
        System.out.printf(Locale.ROOT, "%narena, QAT model:%n%s%s", r.cortexM().toText(), r.host64().toText());
        checkBudget(r.qatModel().bytes());
        System.out.printf(Locale.ROOT, "budget: %,d B flash, %,d B arena on CORTEX_M and HOST_64 (Budget.check): OK%n",
                FLASH_BUDGET_BYTES, RAM_BUDGET_BYTES);
        Timings t = r.timings();
        System.out.printf(Locale.ROOT, "times: load %.1f s, train %.1f s, PTQ %.1f s, QAT %.1f s, evaluate %.1f s,"
                        + " total %.1f s%n", seconds(t.load()), seconds(t.train()), seconds(t.ptq()), seconds(t.qat()),
                seconds(t.evaluate()), seconds(t.total()));
        System.out.printf(Locale.ROOT, "wrote %d files to %s%n", written.size(), out.toAbsolutePath());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
