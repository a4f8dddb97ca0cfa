package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Where the training loop's mini-batches come from: each {@link #pass()} yields batches in DL4J layout, each to be
 * {@link #release}d after use. Either {@link Batches} of in-memory examples or a {@link TrainingStream} converted a
 * batch at a time.
 */
interface BatchPasses {

    /** A fresh pass over the batches. */
    Iterator<DataSet> pass();

    /** Done with {@code batch} (frees what the pass built for it). */
    void release(DataSet batch);

    /** {@code batches} in their order. */
    static BatchPasses of(Batches batches) {
        return new BatchPasses() {
            @Override
            public Iterator<DataSet> pass() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < batches.count();
                    }

                    @Override
                    public DataSet next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return batches.get(next++);
                    }
                };
            }

            @Override
            public void release(DataSet batch) {
                batches.release(batch);
            }
        };
    }

    /**
     * {@code stream}'s batches, features converted from TFLite to DL4J layout (a copy freed on release; the
     * stream's own arrays are left alone) and shapes checked against {@code spec}.
     */
    static BatchPasses of(ModelSpec spec, TrainingStream stream) {
        long outputs = spec.outputShape().elementCount();
        return new BatchPasses() {
            @Override
            public Iterator<DataSet> pass() {
                Iterator<DataSet> source = stream.pass();
                return new Iterator<>() {
                    private int index;

                    @Override
                    public boolean hasNext() {
                        return source.hasNext();
                    }

                    @Override
                    public DataSet next() {
                        DataSet ds = source.next();
                        index++;
                        if (ds == null || ds.getFeatures() == null || ds.getLabels() == null) {
                            throw new InvalidTrainingDataException("batch " + index + " of the stream has no features"
                                    + " or no labels");
                        }
                        INDArray x = ds.getFeatures();
                        INDArray y = ds.getLabels();
                        long n = x.size(0);
                        if (n == 0 || y.size(0) != n) {
                            throw new InvalidTrainingDataException("batch " + index + " of the stream has " + n
                                    + " examples and " + y.size(0) + " targets");
                        }
                        DataValidator.matchesInput("features of stream batch " + index, spec, x);
                        DataValidator.matchesOutput("targets of stream batch " + index, spec, y);
                        DataValidator.finite("features of stream batch " + index, x);
                        DataValidator.finite("targets of stream batch " + index, y);
                        INDArray targets = y.rank() == 2 ? y : y.reshape('c', n, outputs);
                        return new DataSet(TfliteLayout.featuresToDl4j(x.castTo(DataType.FLOAT), spec.inputShape()),
                                targets.castTo(DataType.FLOAT));
                    }
                };
            }

            @Override
            public void release(DataSet batch) {
                NativeMemory.release(batch.getFeatures()); // the converted copy; the labels may be the stream's
            }
        };
    }

    /** The first whole batches of {@code passes} that hold at least {@code examples} examples (or all). */
    static BatchPasses head(BatchPasses passes, int examples) {
        return new BatchPasses() {
            @Override
            public Iterator<DataSet> pass() {
                Iterator<DataSet> all = passes.pass();
                return new Iterator<>() {
                    private long taken;

                    @Override
                    public boolean hasNext() {
                        return taken < examples && all.hasNext();
                    }

                    @Override
                    public DataSet next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        DataSet ds = all.next();
                        taken += ds.numExamples();
                        return ds;
                    }
                };
            }

            @Override
            public void release(DataSet batch) {
                passes.release(batch);
            }
        };
    }
}
