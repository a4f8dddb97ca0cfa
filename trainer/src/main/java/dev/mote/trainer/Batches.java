package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Mini-batches of a {@link TrainingData} in DL4J layout, drawn by example index and built only when asked for. The
 * training loop thus holds one copy of the data set (the caller's) however many epochs, shuffles and validation
 * passes it runs; each batch is a few hundred kilobytes that {@link #release} frees at once instead of waiting for
 * the garbage collector.
 */
final class Batches {

    private final ModelSpec spec;
    private final INDArray features;
    private final INDArray targets;
    private final int[] order;
    private final int batchSize;

    private Batches(ModelSpec spec, INDArray features, INDArray targets, int[] order, int batchSize) {
        this.spec = spec;
        this.features = features;
        this.targets = targets;
        this.order = order;
        this.batchSize = batchSize;
    }

    /**
     * @param order     example indices; batch {@code b} holds {@code order[b * batchSize ...]}
     * @param batchSize examples per batch (the last batch may be smaller)
     */
    static Batches of(ModelSpec spec, TrainingData data, int[] order, int batchSize) {
        return new Batches(spec, data.features().reshape('c', new long[] {data.size(), -1}),
                data.targets().reshape('c', new long[] {data.size(), -1}), order, batchSize);
    }

    /** The same examples in batches of another size. */
    Batches withBatchSize(int size) {
        return new Batches(spec, features, targets, order, size);
    }

    /** The examples at positions {@code [from, to)} of the order. */
    Batches range(int from, int to) {
        return new Batches(spec, features, targets, Arrays.copyOfRange(order, from, to), batchSize);
    }

    int count() {
        return (order.length + batchSize - 1) / batchSize;
    }

    int examples() {
        return order.length;
    }

    /** Batch {@code b} as a new DataSet; {@link #release} it when done. */
    DataSet get(int b) {
        int from = b * batchSize;
        int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        INDArray x = Nd4j.pullRows(features, 1, rows);
        INDArray dl4j = TfliteLayout.featuresToDl4j(x, spec.inputShape());
        NativeMemory.release(x);
        return new DataSet(dl4j, Nd4j.pullRows(targets, 1, rows));
    }

    /** Frees a batch's native buffers now. */
    static void release(DataSet batch) {
        NativeMemory.release(batch.getFeatures(), batch.getLabels());
    }
}
