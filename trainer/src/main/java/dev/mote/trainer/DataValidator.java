package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Up-front checks of training, calibration and prediction data, each one pass over the values (O(n), stopping at
 * the first problem) so that bad data fails with an {@link InvalidTrainingDataException} naming the example, the
 * index and the value instead of an ND4J exception or a NaN loss epochs later.
 *
 * <p>{@code what} names the data in messages ("training features", "calibration data", ...).
 */
final class DataValidator {

    /** Rows copied at a time when locating a NaN/Inf in an INDArray (the check itself runs natively). */
    private static final int LOCATE_CHUNK = 4096;

    private DataValidator() {
    }

    /**
     * Checks that {@code rows} holds at least one row, every row non-null with the same positive length, and only
     * finite values; returns the row length.
     */
    static int rows(String what, float[][] rows) {
        if (rows == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (rows.length == 0) {
            throw new InvalidTrainingDataException(what + " hold no examples (0 rows): give at least one example");
        }
        int width = -1;
        for (int i = 0; i < rows.length; i++) {
            float[] row = rows[i];
            if (row == null) {
                throw new InvalidTrainingDataException(i, what + ": row " + i + " is null: every example needs"
                        + " its values");
            }
            if (width < 0) {
                width = row.length;
                if (width == 0) {
                    throw new InvalidTrainingDataException(0, what + ": row 0 has no values: every example needs"
                            + " at least one value");
                }
            } else if (row.length != width) {
                throw new InvalidTrainingDataException(i, what + ": row " + i + " has " + row.length
                        + " values but row 0 has " + width + ": every example must have the same number of values"
                        + " (each flattened in TFLite order)");
            }
            for (int j = 0; j < row.length; j++) {
                if (!Float.isFinite(row[j])) {
                    throw nonFinite(what, i, j, width, row[j]);
                }
            }
        }
        return width;
    }

    /** Checks that {@code values} is non-empty and finite (one value per example). */
    static void values(String what, float[] values) {
        if (values == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (values.length == 0) {
            throw new InvalidTrainingDataException(what + " hold no examples (0 values): give at least one example");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw nonFinite(what, i, 0, 1, values[i]);
            }
        }
    }

    /** Checks that there are as many targets (or labels) as examples. */
    static void sameCount(int examples, int targets, String targetWord) {
        if (examples != targets) {
            throw new InvalidTrainingDataException(Math.min(examples, targets), examples + " examples but " + targets
                    + " " + targetWord + ": give exactly one " + singular(targetWord) + " per example");
        }
    }

    /** Checks class labels: at least two classes, every label in {@code [0, classes)}. */
    static void labels(int[] labels, int classes) {
        if (labels == null) {
            throw new IllegalArgumentException("labels is null");
        }
        if (classes < 2) {
            throw new InvalidTrainingDataException("classification needs at least 2 classes, got " + classes
                    + ": for one output use regression or a sigmoid model with 0/1 targets");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new InvalidTrainingDataException(i, "label " + labels[i] + " of example " + i + " is not in [0, "
                        + classes + "): labels are class indices 0.." + (classes - 1) + "; fix the label or"
                        + " raise the number of classes");
            }
        }
    }

    /** {@link #shape} and {@link #finite}. */
    static void array(String what, INDArray a) {
        shape(what, a);
        finite(what, a);
    }

    /** Checks an {@code [n, ...]} array: at least one example, at least one value per example. */
    static void shape(String what, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (a.rank() == 0) {
            throw new InvalidTrainingDataException(what + " are a scalar: give [examples, ...] values");
        }
        long n = a.size(0);
        if (n == 0) {
            throw new InvalidTrainingDataException(what + " hold no examples (shape "
                    + java.util.Arrays.toString(a.shape()) + "): give at least one example");
        }
        if (a.length() == 0) {
            throw new InvalidTrainingDataException(what + " have no values per example (shape "
                    + java.util.Arrays.toString(a.shape()) + ")");
        }
    }

    /**
     * Checks that an {@code [n, ...]} array holds only finite values: a native sum decides; only when it is not
     * finite are the rows copied, a chunk at a time, to locate the value.
     */
    static void finite(String what, INDArray a) {
        long n = a.size(0);
        if (Double.isFinite(a.sumNumber().doubleValue())) {
            return;
        }
        INDArray flat = a.reshape('c', new long[] {n, a.length() / n});
        int width = (int) flat.size(1);
        for (long from = 0; from < n; from += LOCATE_CHUNK) {
            long to = Math.min(n, from + LOCATE_CHUNK);
            float[] chunk = flat.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c').data().asFloat();
            for (int k = 0; k < chunk.length; k++) {
                if (!Float.isFinite(chunk[k])) {
                    throw nonFinite(what, (int) (from + k / width), k % width, width, chunk[k]);
                }
            }
        }
        // a finite sum overflowed: huge but finite values are the model's business
    }

    /** Checks that {@code targets} (n examples) have one value per model output. */
    static void matchesOutput(String what, ModelSpec spec, INDArray targets) {
        long outputs = spec.outputShape().elementCount();
        long given = targets.length() / targets.size(0);
        if (given != outputs) {
            throw new InvalidTrainingDataException("model " + spec.name() + " has " + outputs + " outputs but the "
                    + what + " have " + given + " values per example: give one target value per output (one-hot"
                    + " for classification)");
        }
    }

    /** Checks that {@code features} (n examples) have as many values per example as the model takes. */
    static void matchesInput(String what, ModelSpec spec, INDArray features) {
        long inputs = spec.inputShape().elementCount();
        long given = features.length() / features.size(0);
        if (given != inputs) {
            throw new InvalidTrainingDataException("model " + spec.name() + " takes " + inputs + " input values "
                    + spec.inputShape() + " but the " + what + " have " + given + " per example: give each example"
                    + " as the model's input shape flattened in TFLite order (NHWC for images, step-major for"
                    + " sequences [steps, features])");
        }
    }

    private static InvalidTrainingDataException nonFinite(String what, int example, int index, int width,
                                                          float value) {
        return new InvalidTrainingDataException(example, what + " of example " + example + " hold " + value
                + " at index " + index + " (of " + width + " values per example): replace or drop that example;"
                + " NaN and infinite values make the loss NaN and the int8 ranges meaningless");
    }

    private static String singular(String word) {
        return word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
    }
}
