package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static dev.mote.trainer.Specs.act;
import static dev.mote.trainer.Specs.conv;
import static dev.mote.trainer.Specs.dense;
import static dev.mote.trainer.Specs.depthwise;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Float vs post-training int8 vs QAT int8 on the Hello World sine model and a small Fashion-MNIST CNN, with int8
 * measured twice: by the trainer's own fake-quant forward pass ({@link Predictor#int8Simulation}) and by the bytes
 * the exporter writes, run in micro-runtime. Not part of the unit tests (minutes): run with
 * {@code mvn -B -o -pl trainer -am test -Dtest=QuantizationBenchmark -Dmote.benchmarks=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "mote.benchmarks", matches = "true")
class QuantizationBenchmark {

    static final ModelSpec SINE = Specs.input(1).then(dense(16)).then(act(ActivationKind.RELU))
            .then(dense(16)).then(act(ActivationKind.RELU)).then(dense(1)).build("hello_world");

    @Test
    void sine() {
        Random r = new Random(1234);
        int n = 1000;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 * Math.PI);
            y[i] = (float) (Math.sin(x[i]) + 0.1 * r.nextGaussian());
        }
        TrainingData noisy = TrainingData.regression(x, y);
        float[] tx = new float[1000];
        float[] ty = new float[1000];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = (float) (2 * Math.PI * i / (tx.length - 1));
            ty[i] = (float) Math.sin(tx[i]);
        }
        TrainingData clean = TrainingData.regression(tx, ty);
        long start = System.nanoTime();
        Trainer trainer = Trainer.builder().epochs(400).batchSize(100).learningRate(0.01).seed(7)
                .validationSplit(0.2).earlyStopping(40).build();
        TrainedModel floatModel = trainer.train(SINE, noisy);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        TrainedModel ptq = Calibrator.minMax().calibrate(floatModel, noisy);
        TrainedModel ptqPercentile = Calibrator.percentile(99.99).calibrate(floatModel, noisy);
        start = System.nanoTime();
        TrainedModel qat = trainer.toBuilder().epochs(60).learningRate(1e-3).earlyStopping(0).build()
                .fineTuneQuantized(ptq, noisy);
        double qatSeconds = (System.nanoTime() - start) / 1e9;
        double f = Predictor.floatModel(floatModel).meanAbsoluteError(clean);
        double p = Predictor.int8Simulation(ptq).meanAbsoluteError(clean);
        double pp = Predictor.int8Simulation(ptqPercentile).meanAbsoluteError(clean);
        double q = Predictor.int8Simulation(qat).meanAbsoluteError(clean);
        double pr = new MicroRuntimeRunner(ptq).meanAbsoluteError(clean);
        double ppr = new MicroRuntimeRunner(ptqPercentile).meanAbsoluteError(clean);
        double qr = new MicroRuntimeRunner(qat).meanAbsoluteError(clean);
        System.out.printf(Locale.ROOT, "%nSINE (MAE vs sin(x) on 1000 points in [0, 2pi])%n"
                + "| model | float | PTQ int8 min/max | PTQ int8 99.99 pct | QAT int8 |%n"
                + "| hello_world, trainer's fake-quant simulation | %.4f | %.4f | %.4f | %.4f |%n"
                + "| hello_world, exported int8 bytes in micro-runtime | | %.4f | %.4f | %.4f |%n"
                + "float training %.1f s, QAT %.1f s%n", f, p, pp, q, pr, ppr, qr, trainSeconds, qatSeconds);
        assertTrue(qr <= pr * 1.05, "QAT " + qr + " worse than PTQ " + pr);
    }

    static ModelSpec fashionCnn() {
        return Specs.input(28, 28, 1)
                .then(conv(8, 3, 1, Padding.SAME)).then(new LayerSpec.BatchNorm(1e-3, 0.9))
                .then(act(ActivationKind.RELU)).then(new LayerSpec.MaxPool2D(2, 2, 2, 2, Padding.VALID))
                .then(depthwise(3, 1, 1, Padding.SAME)).then(act(ActivationKind.RELU))
                .then(conv(16, 1, 1, Padding.SAME)).then(act(ActivationKind.RELU))
                .then(new LayerSpec.MaxPool2D(2, 2, 2, 2, Padding.VALID)).then(new LayerSpec.Flatten())
                .then(new LayerSpec.Dropout(0.2)).then(dense(10)).then(act(ActivationKind.SOFTMAX))
                .build("fashion_cnn");
    }

    @Test
    void fashionMnistCnn() throws IOException {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        Assumptions.assumeTrue(Files.isDirectory(dir), "apt-get install dataset-fashion-mnist");
        int trainCount = Integer.getInteger("mote.fashion.train", 20000);
        TrainingData train = load(dir, "train", trainCount);
        TrainingData test = load(dir, "t10k", 10000);
        TrainingData representative = train.slice(0, 1000);
        long start = System.nanoTime();
        Trainer trainer = Trainer.builder().epochs(Integer.getInteger("mote.fashion.epochs", 8)).batchSize(128)
                .learningRate(3e-3).seed(7).validationSplit(0.1).earlyStopping(2).build();
        ModelSpec spec = fashionCnn();
        TrainedModel floatModel = trainer.train(spec, train);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        TrainedModel ptq = Calibrator.minMax().calibrate(floatModel, representative);
        TrainedModel ptqPercentile = Calibrator.percentile(99.99).calibrate(floatModel, representative);
        start = System.nanoTime();
        TrainedModel qat = trainer.toBuilder().epochs(2).learningRate(3e-4).earlyStopping(0).build()
                .fineTuneQuantized(ptq, train);
        double qatSeconds = (System.nanoTime() - start) / 1e9;
        double f = Predictor.floatModel(floatModel).accuracy(test);
        double p = Predictor.int8Simulation(ptq).accuracy(test);
        double pp = Predictor.int8Simulation(ptqPercentile).accuracy(test);
        double q = Predictor.int8Simulation(qat).accuracy(test);
        double pr = new MicroRuntimeRunner(ptq).accuracy(test);
        double ppr = new MicroRuntimeRunner(ptqPercentile).accuracy(test);
        double qr = new MicroRuntimeRunner(qat).accuracy(test);
        System.out.printf(Locale.ROOT, "%nFASHION-MNIST CNN (test accuracy on 10000 images, trained on %d)%n"
                + "| model | float | PTQ int8 min/max | PTQ int8 99.99 pct | QAT int8 |%n"
                + "| fashion_cnn, trainer's fake-quant simulation | %.2f%% | %.2f%% | %.2f%% | %.2f%% |%n"
                + "| fashion_cnn, exported int8 bytes in micro-runtime | | %.2f%% | %.2f%% | %.2f%% |%n"
                + "float training %.1f s, QAT %.1f s%n", trainCount, 100 * f, 100 * p, 100 * pp, 100 * q,
                100 * pr, 100 * ppr, 100 * qr, trainSeconds, qatSeconds);
        assertTrue(qr >= pr - 0.003, "QAT " + qr + " worse than PTQ " + pr);
    }

    /** The first {@code count} images (scaled to [0, 1], NHWC with one channel) and one-hot labels. */
    static TrainingData load(Path dir, String prefix, int count) throws IOException {
        byte[] images;
        byte[] labels;
        try (DataInputStream in = idx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 2051)) {
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            count = Math.min(count, n);
            images = in.readNBytes(count * rows * cols);
        }
        try (DataInputStream in = idx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 2049)) {
            in.readInt();
            labels = in.readNBytes(count);
        }
        float[][] x = new float[count][784];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < 784; j++) {
                x[i][j] = (images[i * 784 + j] & 0xff) / 255f;
            }
            y[i] = labels[i];
        }
        return TrainingData.classification(x, y, 10);
    }

    private static DataInputStream idx(Path file, int magic) throws IOException {
        InputStream raw = new GZIPInputStream(Files.newInputStream(file));
        DataInputStream in = new DataInputStream(raw);
        int m = in.readInt();
        if (m != magic) {
            in.close();
            throw new IOException(file + ": magic " + m + ", expected " + magic);
        }
        return in;
    }
}
