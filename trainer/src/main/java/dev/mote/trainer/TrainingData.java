package dev.mote.trainer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Examples and targets in TFLite's layout, held in memory: features {@code [n, features]} (each example flattened
 * in TFLite order, NHWC for images, step-major with features fastest for sequences {@code [steps, features]}) or
 * {@code [n, h, w, c]} / {@code [n, steps, features]}; targets {@code [n, outputs]} (one-hot for softmax
 * classification).
 *
 * <pre>{@code
 * TrainingData sine = TrainingData.regression(xs, ys);               // one input, one output
 * TrainingData digits = TrainingData.classification(images, labels, 10);
 * }</pre>
 */
public final class TrainingData {

    private final INDArray features;
    private final INDArray targets;

    private TrainingData(INDArray features, INDArray targets) {
        DataValidator.shape("training features", features);
        DataValidator.shape("training targets", targets);
        DataValidator.sameCount((int) features.size(0), (int) targets.size(0), "target rows");
        this.features = features.castTo(DataType.FLOAT);
        this.targets = targets.castTo(DataType.FLOAT);
        DataValidator.finite("training features", this.features);
        DataValidator.finite("training targets", this.targets);
    }

    /** Examples {@code x[i]} (flattened, TFLite order) with targets {@code y[i]}. */
    public static TrainingData of(float[][] x, float[][] y) {
        DataValidator.rows("training features", x);
        DataValidator.rows("training targets", y);
        DataValidator.sameCount(x.length, y.length, "target rows");
        return new TrainingData(Nd4j.create(x), Nd4j.create(y));
    }

    /** One scalar input and one scalar output per example. */
    public static TrainingData regression(float[] x, float[] y) {
        DataValidator.values("training features", x);
        DataValidator.values("training targets", y);
        DataValidator.sameCount(x.length, y.length, "targets");
        return new TrainingData(Nd4j.create(x, new long[] {x.length, 1}, 'c'),
                Nd4j.create(y, new long[] {y.length, 1}, 'c'));
    }

    /** Examples with integer class labels in {@code [0, classes)}, turned into one-hot targets. */
    public static TrainingData classification(float[][] x, int[] labels, int classes) {
        DataValidator.rows("training features", x);
        DataValidator.labels(labels, classes);
        DataValidator.sameCount(x.length, labels.length, "labels");
        float[][] oneHot = new float[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i][labels[i]] = 1f;
        }
        return new TrainingData(Nd4j.create(x), Nd4j.create(oneHot));
    }

    /** Features {@code [n, ...]} in TFLite layout and targets {@code [n, outputs]}. */
    public static TrainingData of(INDArray features, INDArray targets) {
        return new TrainingData(features, targets);
    }

    /**
     * Reads the whole iterator into memory (features in TFLite layout, as above); for data that does not fit, train
     * on a {@link TrainingStream} instead.
     */
    public static TrainingData of(DataSetIterator iterator) {
        List<INDArray> xs = new ArrayList<>();
        List<INDArray> ys = new ArrayList<>();
        iterator.reset();
        while (iterator.hasNext()) {
            DataSet ds = iterator.next();
            xs.add(ds.getFeatures());
            ys.add(ds.getLabels());
        }
        if (xs.isEmpty()) {
            throw new InvalidTrainingDataException("the iterator yielded no data: give at least one example");
        }
        return new TrainingData(Nd4j.concat(0, xs.toArray(new INDArray[0])),
                Nd4j.concat(0, ys.toArray(new INDArray[0])));
    }

    /** Number of examples. */
    public int size() {
        return (int) features.size(0);
    }

    /** The features (TFLite layout; a view, do not modify). */
    public INDArray features() {
        return features;
    }

    /** The targets (a view, do not modify). */
    public INDArray targets() {
        return targets;
    }

    /** The examples in {@code [from, to)}. */
    public TrainingData slice(int from, int to) {
        return new TrainingData(rows(features, from, to), rows(targets, from, to));
    }

    /** A copy with the examples in an order given by {@code seed}. */
    public TrainingData shuffled(long seed) {
        int n = size();
        int[] order = permutation(n, seed);
        return new TrainingData(Nd4j.pullRows(features.reshape('c', new long[] {n, -1}), 1, order).reshape(features.shape()),
                Nd4j.pullRows(targets.reshape('c', new long[] {n, -1}), 1, order).reshape(targets.shape()));
    }

    /** The order of {@link #shuffled(long)}: position {@code i} of the shuffled data holds example {@code [i]}. */
    static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static INDArray rows(INDArray a, int from, int to) {
        long[] shape = a.shape().clone();
        shape[0] = to - from;
        INDArray flat = a.reshape('c', new long[] {a.size(0), -1});
        return flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c').reshape('c', shape);
    }
}
