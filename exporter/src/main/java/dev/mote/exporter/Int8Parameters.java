package dev.mote.exporter;

import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ValueRange;
import dev.mote.dsl.plan.PlannedTensor;
import dev.mote.dsl.plan.QuantRule;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.vocabulary.QuantParams;
import dev.mote.vocabulary.QuantizationRules;
import dev.mote.vocabulary.TensorType;

/**
 * The integer parameters (int8, or int16 in 16x8 mode) of every activation tensor of a {@link TensorPlan}: each tensor takes those of its
 * {@link TensorPlan#paramsRoot}, a learned root from its node's range in the {@link ModelParameters}
 * ({@link QuantizationRules#activation}), a fixed root from its {@link dev.mote.vocabulary.FixedRange}, an LSTM's
 * cell state (int16) from its cell-state range ({@link QuantizationRules#cellState}).
 */
final class Int8Parameters {
    private Int8Parameters() {
    }

    /** The int8 parameters of every tensor, by tensor id. */
    static QuantParams[] of(TensorPlan plan, ModelParameters parameters) {
        return of(plan, parameters, TensorType.INT8);
    }

    /**
     * The parameters of every tensor in activations of {@code type} (INT8, or INT16 for 16x8:
     * {@link QuantizationRules#activationInt16}, {@link dev.mote.vocabulary.FixedRange#int16}), by tensor id.
     */
    static QuantParams[] of(TensorPlan plan, ModelParameters parameters, TensorType type) {
        int n = plan.tensors().size();
        QuantParams[] byRoot = new QuantParams[n];
        QuantParams[] out = new QuantParams[n];
        for (PlannedTensor t : plan.tensors()) {
            PlannedTensor root = plan.paramsRoot(t);
            if (byRoot[root.id()] == null) {
                byRoot[root.id()] = root.rule() == QuantRule.FIXED ? root.fixedRange().params(type)
                        : root.rule() == QuantRule.CELL_STATE ? cellState(plan, parameters, root.rangeNode())
                        : fromRange(plan, parameters, root.rangeNode(), type);
            }
            out[t.id()] = byRoot[root.id()];
        }
        return out;
    }

    /** The int16 cell state of the LSTM at {@code node} ({@link QuantizationRules#cellState}). */
    private static QuantParams cellState(TensorPlan plan, ModelParameters parameters, int node) {
        ValueRange range = parameters.cellStateRange(node);
        if (range == null) {
            throw ExportFailures.at(plan.spec().node(node), "has no cell-state range in the model parameters "
                    + "(ModelParameters.cellStateRange); an int8 export of an LSTM needs it for the int16 cell state "
                    + "(calibrate or train with quantization first)");
        }
        try {
            return QuantizationRules.cellState(range.min(), range.max());
        } catch (IllegalArgumentException e) {
            throw ExportFailures.at(plan.spec().node(node), "has an unusable cell-state range: " + e.getMessage());
        }
    }

    private static QuantParams fromRange(TensorPlan plan, ModelParameters parameters, int node, TensorType type) {
        ValueRange range = parameters.outputRange(node);
        if (range == null) {
            throw ExportFailures.at(plan.spec().node(node), "has no output range in the model parameters; an integer "
                    + "export needs the range of every layer output (calibrate or train with quantization first)");
        }
        try {
            return QuantizationRules.activation(range.min(), range.max(), type);
        } catch (IllegalArgumentException e) {
            throw ExportFailures.at(plan.spec().node(node), "has an unusable output range: " + e.getMessage());
        }
    }
}
