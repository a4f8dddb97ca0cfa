package dev.mote.samples;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The samples' pipelines in short, seeded configurations, each run at most once per test JVM and shared by the test
 * classes that need their models (training is the expensive part).
 */
final class QuickRuns {
    /** Fashion-MNIST CNN: 4,000 training images (10 % held out), 2 epochs, 1 QAT epoch, 1,000 test images. */
    static final FashionMnistCnn.Config FASHION = FashionMnistCnn.Config.full().toBuilder()
            .trainImages(4000).testImages(1000).epochs(2).patience(0).qatEpochs(1).batchSize(64)
            .learningRate(5e-3).qatLearningRate(5e-4).seed(42).progressBar(false).build();

    /**
     * Fashion-MNIST as sequences ({@link FashionMnistSequence}): 3,000 training images, 2 epochs, 1 QAT epoch, 1,000
     * test images.
     */
    static final FashionMnistCnn.Config SEQUENCE = FashionMnistSequence.config().toBuilder()
            .trainImages(3000).testImages(1000).epochs(2).patience(0).qatEpochs(1).batchSize(64).seed(42)
            .progressBar(false).build();

    private static FashionMnistCnn.Result fashion;
    private static FashionMnistCnn.Result lstm;
    private static FashionMnistCnn.Result conv1d;
    private static HelloWorldSine.Trained helloWorld;
    private static java.util.List<PrecisionComparison.Row> precisionHelloWorld;
    private static java.util.List<PrecisionComparison.Row> precisionThermistor;

    private QuickRuns() {
    }

    /** The quick Fashion-MNIST run; skips the calling test (JUnit assumption) if the data set is not installed. */
    static synchronized FashionMnistCnn.Result fashion() {
        assumeTrue(FashionMnist.isAvailable(FASHION.dataDirectory()),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        if (fashion == null) {
            try {
                fashion = FashionMnistCnn.run(FASHION);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fashion;
    }

    /** The quick LSTM run of {@link FashionMnistSequence}; skips without the data set. */
    static synchronized FashionMnistCnn.Result lstm() {
        if (lstm == null) {
            lstm = sequenceRun(FashionMnistSequence.lstm(20));
        }
        return lstm;
    }

    /** The quick Conv1D run of {@link FashionMnistSequence}; skips without the data set. */
    static synchronized FashionMnistCnn.Result conv1d() {
        if (conv1d == null) {
            conv1d = sequenceRun(FashionMnistSequence.conv1d(16));
        }
        return conv1d;
    }

    private static FashionMnistCnn.Result sequenceRun(dev.mote.dsl.ModelSpec spec) {
        assumeTrue(FashionMnist.isAvailable(SEQUENCE.dataDirectory()),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        try {
            return FashionMnistCnn.run(SEQUENCE, spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Hello World as {@link HelloWorldSine} trains and exports it, with 30 + 3 epochs instead of 1,500 + 60: the same
     * structure, so the same model size and arena, with less accurate weights.
     */
    static synchronized HelloWorldSine.Trained helloWorld() {
        if (helloWorld == null) {
            helloWorld = HelloWorldSine.train(30, 3, false);
        }
        return helloWorld;
    }

    /** {@link PrecisionComparison}'s Hello World case with 200 + 10 epochs (the five exports' structure is the sample's). */
    static synchronized java.util.List<PrecisionComparison.Row> precisionHelloWorld() {
        if (precisionHelloWorld == null) {
            precisionHelloWorld = PrecisionComparison.run(PrecisionComparison.helloWorld(), 200, 10);
        }
        return precisionHelloWorld;
    }

    /** {@link PrecisionComparison}'s thermistor case with 200 + 10 epochs. */
    static synchronized java.util.List<PrecisionComparison.Row> precisionThermistor() {
        if (precisionThermistor == null) {
            precisionThermistor = PrecisionComparison.run(PrecisionComparison.thermistor(), 200, 10);
        }
        return precisionThermistor;
    }
}
