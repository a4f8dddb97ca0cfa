package dev.mote.samples;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line of the Fashion-MNIST samples: an optional output folder and {@code --option value} pairs that set
 * a {@link FashionMnistCnn.Config}. Each sample names the options it takes; any other option, a missing value or a
 * malformed number prints the message and the usage line and exits with status 2.
 *
 * <pre>{@code
 * FashionArguments parsed = FashionArguments.parse(args, "FashionMnistSequence",
 *         Path.of("target/fashion_mnist_sequence"), FashionMnistSequence.config().toBuilder(),
 *         List.of("--train", "--test", "--epochs", "--qat-epochs", "--data"));
 * }</pre>
 *
 * @param output the output folder
 * @param config the configuration with the options applied
 */
record FashionArguments(Path output, FashionMnistCnn.Config config) {

    /** Every option a sample can offer, with the kind of value it takes. */
    private static final List<String> ALL = List.of("--train N", "--test N", "--epochs N", "--qat-epochs N",
            "--width N", "--batch N", "--seed N", "--lr X", "--qat-lr X", "--data DIR");

    static FashionArguments parse(String[] args, String sample, Path output, FashionMnistCnn.Config.Builder b,
                                  List<String> options) {
        Path out = output;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    out = Path.of(a);
                    continue;
                }
                if (!options.contains(a)) {
                    throw new IllegalArgumentException("unknown option " + a);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                set(b, a, args[++i]);
            }
            return new FashionArguments(out, b.build());
        } catch (IllegalArgumentException e) {
            StringBuilder usage = new StringBuilder("usage: " + sample + " [outputFolder]");
            for (String o : ALL) {
                if (options.contains(o.substring(0, o.indexOf(' ')))) {
                    usage.append(" [").append(o).append(']');
                }
            }
            System.err.println(e.getMessage() + "\n" + usage);
            System.exit(2);
            throw e;
        }
    }

    private static void set(FashionMnistCnn.Config.Builder b, String option, String v) {
        switch (option) {
            case "--train" -> b.trainImages(Integer.parseInt(v));
            case "--test" -> b.testImages(Integer.parseInt(v));
            case "--epochs" -> b.epochs(Integer.parseInt(v));
            case "--qat-epochs" -> b.qatEpochs(Integer.parseInt(v));
            case "--width" -> b.width(Integer.parseInt(v));
            case "--batch" -> b.batchSize(Integer.parseInt(v));
            case "--seed" -> b.seed(Long.parseLong(v));
            case "--lr" -> b.learningRate(Double.parseDouble(v));
            case "--qat-lr" -> b.qatLearningRate(Double.parseDouble(v));
            case "--data" -> b.dataDirectory(Path.of(v));
            default -> throw new IllegalArgumentException("unknown option " + option);
        }
    }
}
