package dev.mote.samples;

import java.util.Arrays;
import java.util.Locale;

/**
 * Counts of (actual class, predicted class) pairs of a classifier on a test set, with accuracy overall and per
 * class. Immutable.
 *
 * <pre>{@code
 * ConfusionMatrix m = ConfusionMatrix.of(labels, predictions, 10);
 * System.out.printf("%.2f %%%n", 100 * m.accuracy());
 * System.out.println(m.toText(FashionMnist.CLASS_NAMES));
 * }</pre>
 */
public final class ConfusionMatrix {
    private final int[][] counts;
    private final int total;

    private ConfusionMatrix(int[][] counts, int total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * The matrix of {@code predicted[i]} against {@code actual[i]}.
     *
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or hold a value outside
     *                                  {@code [0, classes)}
     */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " labels but " + predicted.length + " predictions");
        }
        if (actual.length == 0) {
            throw new IllegalArgumentException("no examples");
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("example " + i + ": class " + actual[i] + " predicted as "
                        + predicted[i] + ", expected both in [0, " + classes + ")");
            }
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts, actual.length);
    }

    public int classes() {
        return counts.length;
    }

    /** Number of examples. */
    public int total() {
        return total;
    }

    /** Examples of class {@code actual} predicted as {@code predicted}. */
    public int count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** Examples predicted correctly. */
    public int correct() {
        int c = 0;
        for (int i = 0; i < counts.length; i++) {
            c += counts[i][i];
        }
        return c;
    }

    /** Fraction of examples predicted correctly. */
    public double accuracy() {
        return (double) correct() / total;
    }

    /** Fraction of the examples of class {@code actual} predicted correctly (NaN if there are none). */
    public double classAccuracy(int actual) {
        int n = Arrays.stream(counts[actual]).sum();
        return n == 0 ? Double.NaN : (double) counts[actual][actual] / n;
    }

    /** A table with one row per actual class, one column per predicted class, and the per-class accuracy. */
    public String toText(String[] classNames) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-14s", "actual \\ pred"));
        for (int p = 0; p < classes(); p++) {
            sb.append(String.format(Locale.ROOT, "%6d", p));
        }
        sb.append(String.format(Locale.ROOT, "%10s%n", "accuracy"));
        for (int a = 0; a < classes(); a++) {
            sb.append(String.format(Locale.ROOT, "%-14s", a + " " + name(classNames, a)));
            for (int p = 0; p < classes(); p++) {
                sb.append(String.format(Locale.ROOT, "%6d", counts[a][p]));
            }
            sb.append(String.format(Locale.ROOT, "%9.2f%%%n", 100 * classAccuracy(a)));
        }
        sb.append(String.format(Locale.ROOT, "overall: %,d of %,d correct, %.2f %%%n", correct(), total,
                100 * accuracy()));
        return sb.toString();
    }

    /** The same as comma-separated values: header row of predicted classes, one row per actual class. */
    public String toCsv(String[] classNames) {
        StringBuilder sb = new StringBuilder("actual\\predicted");
        for (int p = 0; p < classes(); p++) {
            sb.append(',').append(name(classNames, p));
        }
        sb.append(",accuracy\n");
        for (int a = 0; a < classes(); a++) {
            sb.append(name(classNames, a));
            for (int p = 0; p < classes(); p++) {
                sb.append(',').append(counts[a][p]);
            }
            sb.append(String.format(Locale.ROOT, ",%.4f%n", classAccuracy(a)));
        }
        return sb.toString();
    }

    private static String name(String[] classNames, int c) {
        return c < classNames.length ? classNames[c] : Integer.toString(c);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ConfusionMatrix[%d classes, %d examples, accuracy %.4f]", classes(), total,
                accuracy());
    }
}
