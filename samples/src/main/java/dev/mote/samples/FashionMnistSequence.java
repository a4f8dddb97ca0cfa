package dev.mote.samples;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.exporter.ModelReport;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.vocabulary.FileSet;
import dev.mote.vocabulary.Padding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Fashion-MNIST read as a time series, as TFLM's {@code mnist_lstm} example reads MNIST: each image is 28 steps of
 * one 28-pixel row. Two sequence models of about 4,000 parameters each are declared with the DSL, trained, calibrated
 * (PTQ), fine-tuned quantization-aware (QAT), exported as int8 and evaluated on every test image <em>on
 * micro-runtime</em> in TFLM's smallest arena, then checked against the CNN sample's budget (64 KB flash, 32 KB
 * arena on both targets):
 * <ul>
 *   <li>{@link #lstm(int)}: {@code LSTM(20) → last step → dense 10 → softmax} (UNIDIRECTIONAL_SEQUENCE_LSTM with an
 *       int16 cell state, STRIDED_SLICE, FULLY_CONNECTED, SOFTMAX);</li>
 *   <li>{@link #conv1d(int)}: two {@code conv1d 3 + ReLU + max pool 2} blocks, flatten, dense 10, softmax (CONV_2D and
 *       MAX_POOL_2D on the sequence's image view).</li>
 * </ul>
 *
 * <p>Arguments: {@code [outputFolder] [--train N] [--test N] [--epochs N] [--qat-epochs N] [--batch N] [--seed N]
 * [--data DIR]}
 * (defaults {@code target/fashion_mnist_sequence}, all 60,000 / 10,000 images, {@link #config()}).
 *
 * <pre>{@code
 * FashionMnistCnn.Result r = FashionMnistCnn.run(FashionMnistSequence.config().toBuilder()
 *         .trainImages(4000).testImages(1000).epochs(2).qatEpochs(1).build(), FashionMnistSequence.lstm(20));
 * double int8 = r.qat().accuracy();      // measured on micro-runtime
 * }</pre>
 */
public final class FashionMnistSequence {

    private FashionMnistSequence() {
    }

    /** {@code input(28, 28) → lstm(units) → lastStep → dense(10) → softmax}; 20 units: 4,230 parameters. */
    public static ModelSpec lstm(int units) {
        return MicroModel.sequential("fashion_lstm").input(FashionMnist.SIDE, FashionMnist.SIDE)
                .lstm(units)
                .lastStep()
                .dense(FashionMnist.CLASSES).softmax()
                .build();
    }

    /**
     * {@code input(28, 28) → conv1d(filters, 3) SAME + ReLU → max pool 2 → conv1d(filters + filters / 2, 3) SAME + ReLU
     * → max pool 2 → flatten → dense(10) → softmax}; 16 filters: 4,210 parameters.
     */
    public static ModelSpec conv1d(int filters) {
        return MicroModel.sequential("fashion_conv1d").input(FashionMnist.SIDE, FashionMnist.SIDE)
                .conv1d(filters, 3).padding(Padding.SAME).relu()
                .maxPool1d(2)
                .conv1d(filters + filters / 2, 3).padding(Padding.SAME).relu()
                .maxPool1d(2)
                .flatten()
                .dense(FashionMnist.CLASSES).softmax()
                .build();
    }

    /**
     * The sample's configuration: the CNN sample's ({@link FashionMnistCnn.Config#full()}: all images, up to 10
     * epochs with patience 2, 2 QAT epochs, batch 128) with Adam at 1e-2 / 1e-3.
     */
    public static FashionMnistCnn.Config config() {
        return FashionMnistCnn.Config.full().toBuilder().learningRate(1e-2).qatLearningRate(1e-3).build();
    }

    /** Both models' results. */
    public record Results(FashionMnistCnn.Result lstm, FashionMnistCnn.Result conv1d) {

        /** One Markdown table: accuracy (float, PTQ, QAT on micro-runtime), model bytes, arena, training time. */
        public String table() {
            FashionMnistCnn.Result any = lstm;
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Test accuracy on %,d images (trained on %,d; int8 measured on "
                    + "micro-runtime in TFLM's smallest arena):%n%n", any.testImages(), any.trainImages()));
            sb.append("| model | float | PTQ int8 | QAT int8 | QAT − float | model bytes | arena Cortex-M | "
                    + "arena x86-64 | epochs | training time |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
            row(sb, "LSTM(20) → last step → dense 10", lstm);
            row(sb, "conv1d ×2 → flatten → dense 10", conv1d);
            return sb.toString();
        }

        private static void row(StringBuilder sb, String name, FashionMnistCnn.Result r) {
            byte[] bytes = r.qatModel().bytes();
            FashionMnistCnn.Timings t = r.timings();
            sb.append(String.format(Locale.ROOT,
                    "| %s | %.2f %% | %.2f %% | %.2f %% | %+.2f pp | %,d | %,d | %,d | %d + %d | %.0f s + %.0f s |%n",
                    name, 100 * r.floatModel().accuracy(), 100 * r.ptq().accuracy(), 100 * r.qat().accuracy(),
                    -r.qatLossPoints(), bytes.length, ArenaReport.of(bytes, ArenaTarget.CORTEX_M).minimumArenaBytes(),
                    ArenaReport.of(bytes, ArenaTarget.HOST_64).minimumArenaBytes(), r.trainedEpochs(),
                    r.history().size() - r.trainedEpochs(), seconds(t.train()), seconds(t.qat())));
        }
    }

    /** Trains, quantizes and evaluates both models with {@code config}. */
    public static Results run(FashionMnistCnn.Config config) throws IOException {
        return new Results(FashionMnistCnn.run(config, lstm(20)), FashionMnistCnn.run(config, conv1d(16)));
    }

    /**
     * Writes both QAT models ({@code .tflite} and the C array for a Cortex-M build) and the results table into
     * {@code folder} as one {@link FileSet}.
     *
     * @throws dev.mote.vocabulary.FileWriteException if a file cannot be written
     */
    public static List<Path> writeOutputs(Results results, Path folder) throws IOException {
        Files.createDirectories(folder);
        FileSet files = new FileSet()
                .add(folder.resolve("fashion_lstm.tflite"), results.lstm().qatModel().bytes())
                .add(folder.resolve("fashion_conv1d.tflite"), results.conv1d().qatModel().bytes())
                .add(folder.resolve("results.md"), results.table());
        results.lstm().qatModel().cArray("fashion_lstm_model_data", ArenaTarget.CORTEX_M).addTo(files, folder);
        results.conv1d().qatModel().cArray("fashion_conv1d_model_data", ArenaTarget.CORTEX_M).addTo(files, folder);
        return files.write();
    }

    public static void main(String[] args) throws Exception {
        FashionArguments parsed = FashionArguments.parse(args, "FashionMnistSequence",
                Path.of("target/fashion_mnist_sequence"), config().toBuilder(),
                List.of("--train", "--test", "--epochs", "--qat-epochs", "--batch", "--seed", "--data"));
        Path out = parsed.output();
        FashionMnistCnn.Config config = parsed.config();
        System.out.println(ModelReport.of(lstm(20)));
        System.out.println(ModelReport.of(conv1d(16)));
        Results r;
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
        for (FashionMnistCnn.Result m : List.of(r.lstm(), r.conv1d())) {
            FashionMnistCnn.checkBudget(m.qatModel().bytes());
            System.out.printf(Locale.ROOT, "%n%s, QAT int8 on micro-runtime, per class:%n%s%s%s", m.spec().name(),
                    m.qat().toText(FashionMnist.CLASS_NAMES), m.cortexM().toText(), m.host64().toText());
        }
        System.out.printf(Locale.ROOT, "budget: %,d B flash, %,d B arena on CORTEX_M and HOST_64 (Budget.check): OK "
                + "for both%n", FashionMnistCnn.FLASH_BUDGET_BYTES, FashionMnistCnn.RAM_BUDGET_BYTES);
        System.out.printf(Locale.ROOT, "total time %.1f s; wrote %d files to %s%n",
                seconds(r.lstm().timings().total()) + seconds(r.conv1d().timings().total()), written.size(),
                out.toAbsolutePath());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
