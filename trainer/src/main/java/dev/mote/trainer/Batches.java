package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Mini-batches of a {@link TrainingData} in DL4J layout, drawn by example index. The training loop thus holds one
 * copy of the data set (the caller's) however many epochs, shuffles and validation passes it runs. A large data set's
 * batches are built when asked for and {@link #release}d at once instead of waiting for the garbage collector; a
 * small one's (at most {@link #CACHE_BYTES} of examples) are built once and kept, since building them for every step
 * costs more than the memory they take (Hello World: 15,000 steps of 100 examples).
 */
final class Batches {
    /** Examples of at most this many bytes (features and targets as float) keep their built batches. */
    static final long CACHE_BYTES = 16L << 20;

    private final ModelSpec spec;
    private final INDArray features;
    private final INDArray targets;
    private final int[] order;
    private final int batchSize;
    /** Built batches, or null when this instance builds each batch on request. */
    private final DataSet[] cache;
    private final long cacheBytes;

    private Batches(ModelSpec spec, INDArray features, INDArray targets, int[] order, int batchSize,
                    long cacheBytes) {
        this.spec = spec;
        this.features = features;
        this.targets = targets;
        this.order = order;
        this.batchSize = batchSize;
        this.cacheBytes = cacheBytes;
        long bytes = 4L * order.length * (features.size(1) + targets.size(1));
        this.cache = bytes <= cacheBytes ? new DataSet[count()] : null;
    }

    /**
     * @param order     example indices; batch {@code b} holds {@code order[b * batchSize ...]}
     * @param batchSize examples per batch (the last batch may be smaller)
     */
    static Batches of(ModelSpec spec, TrainingData data, int[] order, int batchSize) {
        return of(spec, data, order, batchSize, CACHE_BYTES);
    }

    /** {@link #of(ModelSpec, TrainingData, int[], int)} keeping built batches up to {@code cacheBytes}. */
    static Batches of(ModelSpec spec, TrainingData data, int[] order, int batchSize, long cacheBytes) {
        return new Batches(spec, data.features().reshape('c', new long[] {data.size(), -1}),
                data.targets().reshape('c', new long[] {data.size(), -1}), order, batchSize, cacheBytes);
    }

    /** The same examples in batches of another size. */
    Batches withBatchSize(int size) {
        return new Batches(spec, features, targets, order, size, cacheBytes);
    }

    /** The examples at positions {@code [from, to)} of the order. */
    Batches range(int from, int to) {
        return new Batches(spec, features, targets, Arrays.copyOfRange(order, from, to), batchSize, cacheBytes);
    }

    int count() {
        return (order.length + batchSize - 1) / batchSize;
    }

    int examples() {
        return order.length;
    }

    /** Batch {@code b}; {@link #release} it when done. */
    DataSet get(int b) {
        if (cache == null) {
            return build(b);
        }
        if (cache[b] == null) {
            cache[b] = build(b);
        }
        return cache[b];
    }

    /** True when batches are built once and kept (a small data set). */
    boolean cached() {
        return cache != null;
    }

    private DataSet build(int b) {
        int from = b * batchSize;
        int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        INDArray x = Nd4j.pullRows(features, 1, rows);
        INDArray dl4j = TfliteLayout.featuresToDl4j(x, spec.inputShape());
        NativeMemory.release(x);
        return new DataSet(dl4j, Nd4j.pullRows(targets, 1, rows));
    }

    /** Frees a batch's native buffers now, unless this instance keeps its batches. */
    void release(DataSet batch) {
        if (cache == null) {
            NativeMemory.release(batch.getFeatures(), batch.getLabels());
        }
    }
}
