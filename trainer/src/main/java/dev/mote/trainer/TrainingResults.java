package dev.mote.trainer;

import dev.mote.dsl.ValueRange;
import dev.mote.dsl.plan.TensorPlan;

import java.util.Arrays;

/**
 * Turns a trained network into the {@link TrainedModel} the {@link Trainer} returns (and a {@link Checkpoint}
 * writes): BatchNorm folded, ranges from the training features after float training, the tracked fake-quant ranges
 * after QAT.
 */
final class TrainingResults {

    /** Examples of the training data whose ranges a float-trained model records. */
    static final int RANGE_EXAMPLES = 4096;

    private TrainingResults() {
    }

    /** The float-trained model: folded weights, min/max ranges of the first {@value #RANGE_EXAMPLES} examples. */
    static TrainedModel floatModel(SpecNetwork net, TrainingData data, Provenance provenance) {
        ValueRange[] placeholder = new ValueRange[net.spec().nodes().size()];
        Arrays.fill(placeholder, new ValueRange(0f, 0f));
        TrainedModel folded = ParameterTransfer.extract(net, placeholder,
                QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN);
        TrainedModel ranged = Calibrator.minMax().calibrate(folded,
                data.slice(0, Math.min(data.size(), RANGE_EXAMPLES)));
        return ranged.withRanges(rangesOf(ranged), QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN)
                .withProvenance(provenance); // keeps the cell-state ranges of the same examples
    }

    /** The fine-tuned model: the network's weights with its tracked ranges (others from {@code start}). */
    static TrainedModel qatModel(SpecNetwork net, TrainedModel start, Provenance provenance) {
        ValueRange[] observed = rangesOf(start);
        for (FakeQuantActivation fq : net.fakeQuantActivations()) {
            if (fq.observes()) {
                observed[fq.nodeIndex()] = fq.tracker().range();
            }
        }
        ValueRange[] ranges = TensorPlan.of(start.spec()).tensorRanges(observed);
        ValueRange[] cellStates = start.cellStateRanges();
        for (CellStateTap tap : net.cellStateTaps()) {
            if (tap.tracker().initialized()) {
                cellStates[tap.nodeIndex()] = tap.tracker().range();
            }
        }
        return ParameterTransfer.extract(net, ranges, QuantizationChoices.RangeSource.QAT_MOVING_AVERAGE, Double.NaN)
                .withCellStateRanges(cellStates)
                .withProvenance(provenance);
    }

    static ValueRange[] rangesOf(TrainedModel model) {
        ValueRange[] r = new ValueRange[model.spec().nodes().size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = model.outputRange(i);
        }
        return r;
    }
}
