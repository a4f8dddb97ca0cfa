package dev.mote.trainer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Training data read a mini-batch at a time, for data sets that do not fit in memory (the in-memory
 * {@link TrainingData} is simpler and shuffles for you; the samples use it). Each pass over the data (each epoch)
 * asks the source for a fresh iterator of {@link DataSet}s, features in TFLite layout ({@code [b, features]} or
 * {@code [b, h, w, c]}) and targets {@code [b, outputs]}, and trains on each batch as it comes: the trainer keeps no
 * batch after its step (it converts the features to DL4J layout, steps, and frees the copy), so memory holds about
 * one batch of the stream, whatever its length.
 *
 * <pre>{@code
 * // a DataSetIterator, reset before every pass
 * TrainingStream stream = TrainingStream.of(myIterator).withValidation(TrainingData.of(valX, valY));
 * // or any source of batches: a fresh iterator per epoch
 * TrainingStream shards = TrainingStream.of(() -> readShards(folder));   // Iterator<DataSet>, read lazily
 * TrainedModel model = Trainer.builder().epochs(20).build().train(spec, stream);
 * TrainedModel qat = Trainer.builder().epochs(2).build()
 *         .fineTuneQuantized(Calibrator.minMax().calibrate(model, representativeXs), stream);
 * }</pre>
 *
 * <p>How it differs from training on {@link TrainingData}:
 * <ul>
 *   <li>The source decides the batches and their order: {@link Trainer.Builder#batchSize} does not apply and
 *       nothing is shuffled (shuffle in the source if you want it). Given the same batches in the same order,
 *       training gives the same weights as the in-memory path.</li>
 *   <li>A stream cannot be split: {@link Trainer.Builder#validationSplit} must stay 0 and validation data, if any,
 *       comes from {@link #withValidation(TrainingData)} (held in memory, usually small) or
 *       {@link #withValidation(TrainingStream)} (read in full once per epoch).</li>
 *   <li>Without validation data the epoch metric is measured on the stream's first batches (at least 1024
 *       examples, whole batches), read again each epoch.</li>
 *   <li>The returned model's ranges are calibrated on the stream's first 4096 examples (the in-memory path uses
 *       the first 4096 examples of the data set).</li>
 * </ul>
 */
public final class TrainingStream {

    private final Supplier<? extends Iterator<DataSet>> passes;
    private final TrainingData validationData;
    private final TrainingStream validationStream;

    private TrainingStream(Supplier<? extends Iterator<DataSet>> passes, TrainingData validationData,
                           TrainingStream validationStream) {
        this.passes = passes;
        this.validationData = validationData;
        this.validationStream = validationStream;
    }

    /** Batches from {@code passes}, which returns a fresh iterator (from the first batch) for every pass. */
    public static TrainingStream of(Supplier<? extends Iterator<DataSet>> passes) {
        return new TrainingStream(Objects.requireNonNull(passes, "passes"), null, null);
    }

    /**
     * Batches from {@code iterator}, {@link DataSetIterator#reset() reset} before every pass.
     *
     * @throws IllegalArgumentException if the iterator cannot be reset
     */
    public static TrainingStream of(DataSetIterator iterator) {
        Objects.requireNonNull(iterator, "iterator");
        if (!iterator.resetSupported()) {
            throw new InvalidConfigurationException("the iterator " + iterator.getClass().getSimpleName()
                    + " cannot be reset, and training reads it once per epoch");
        }
        return of(() -> {
            iterator.reset();
            return iterator;
        });
    }

    /** This stream with validation examples held in memory (replaces any validation source). */
    public TrainingStream withValidation(TrainingData validation) {
        return new TrainingStream(passes, Objects.requireNonNull(validation, "validation"), null);
    }

    /** This stream with validation examples read from {@code validation} once per epoch (replaces any). */
    public TrainingStream withValidation(TrainingStream validation) {
        Objects.requireNonNull(validation, "validation");
        return new TrainingStream(passes, null, validation.withoutValidation());
    }

    private TrainingStream withoutValidation() {
        return new TrainingStream(passes, null, null);
    }

    /** Validation examples in memory, or null. */
    TrainingData validationData() {
        return validationData;
    }

    /** A validation stream, or null. */
    TrainingStream validationStream() {
        return validationStream;
    }

    /** A fresh pass over the batches. */
    Iterator<DataSet> pass() {
        Iterator<DataSet> it = passes.get();
        if (it == null) {
            throw new InvalidTrainingDataException("the stream's source returned no iterator");
        }
        return it;
    }

    /** The first {@code examples} examples (or all, if fewer) of a pass, in memory, for calibration. */
    TrainingData head(int examples) {
        List<INDArray> xs = new ArrayList<>();
        List<INDArray> ys = new ArrayList<>();
        int taken = 0;
        for (Iterator<DataSet> it = pass(); it.hasNext() && taken < examples; ) {
            DataSet ds = it.next();
            int take = Math.min(ds.numExamples(), examples - taken);
            xs.add(rows(ds.getFeatures(), take));
            ys.add(rows(ds.getLabels(), take));
            taken += take;
        }
        if (xs.isEmpty()) {
            throw new InvalidTrainingDataException("the stream yielded no data");
        }
        return TrainingData.of(Nd4j.concat(0, xs.toArray(new INDArray[0])),
                Nd4j.concat(0, ys.toArray(new INDArray[0])));
    }

    private static INDArray rows(INDArray a, int n) {
        INDArray first = a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
        return first.dup('c');
    }
}
