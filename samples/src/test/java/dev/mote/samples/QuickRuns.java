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

    private static FashionMnistCnn.Result fashion;
    private static HelloWorldSine.Trained helloWorld;

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
}
