package dev.mote.dsl.plan;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.FixedRange;

import java.util.Arrays;

/**
 * One activation tensor of the exported model: its shape, the operator that writes it, the DSL node whose value
 * it holds, and how its quantization parameters are chosen.
 *
 * <pre>{@code
 * PlannedTensor out = plan.output();
 * int[] shape = out.shape();                 // with the batch dimension
 * PlannedTensor root = plan.paramsRoot(out); // LEARNED or FIXED: where the parameters come from
 * }</pre>
 *
 * @param id           the tensor's index in {@link TensorPlan#tensors()}
 * @param producer     the operator writing it, {@code null} for the model input
 * @param producerNode the DSL node of that operator (for an inserted QUANTIZE, the concatenation it feeds)
 * @param valueNode    the DSL node whose output value the tensor holds when its producer is done (after fused
 *                     activations and folded batch norms); for a RESHAPE inserted between a sequence and its 4-D
 *                     view, the value node of the tensor it reshapes; -1 for a QUANTIZE inserted before a
 *                     concatenation and for an LSTM's state tensors
 * @param nameNode     the DSL node whose name the tensor carries
 * @param rule         how its parameters are chosen
 * @param rangeNode    for {@link QuantRule#LEARNED}: the node whose output range gives the parameters; for
 *                     {@link QuantRule#CELL_STATE}: the LSTM node whose cell-state range gives them; else -1
 * @param fixedRange   for {@link QuantRule#FIXED}: the range; else {@code null}
 * @param sameAs       for {@link QuantRule#SAME_AS_INPUT}, {@link QuantRule#UNIFIED} and
 *                     {@link QuantRule#SAME_AS_OUTPUT}: the tensor whose parameters it takes; else -1
 */
public record PlannedTensor(int id, int[] shape, BuiltinOperator producer, int producerNode, int valueNode,
                            int nameNode, QuantRule rule, int rangeNode, FixedRange fixedRange, int sameAs) {

    public PlannedTensor {
        shape = shape.clone();
    }

    /** The shape with the batch dimension (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * True if the producer computes new values on its input's grid (AVERAGE_POOL_2D, MEAN round their averages);
     * false for the pass-through ops that only move values (RESHAPE, MAX_POOL_2D, PAD).
     */
    public boolean roundsOnInputGrid() {
        return rule == QuantRule.SAME_AS_INPUT
                && (producer == BuiltinOperator.AVERAGE_POOL_2D || producer == BuiltinOperator.MEAN);
    }

    /**
     * True for an LSTM's state tensors (output state and cell state): variable tensors that the LSTM reads as
     * operands 18 and 19 and updates in place, zero at the start; they live in TFLM's persistent arena.
     */
    public boolean variable() {
        return rule == QuantRule.SAME_AS_OUTPUT || rule == QuantRule.CELL_STATE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedTensor t && id == t.id && Arrays.equals(shape, t.shape) && producer == t.producer
                && producerNode == t.producerNode && valueNode == t.valueNode && nameNode == t.nameNode
                && rule == t.rule && rangeNode == t.rangeNode && fixedRange == t.fixedRange && sameAs == t.sameAs;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + id;
    }

    @Override
    public String toString() {
        return "t" + id + Arrays.toString(shape) + " " + (producer == null ? "INPUT" : producer) + " " + rule
                + (rangeNode >= 0 ? " range of node " + rangeNode : "") + (fixedRange != null ? " " + fixedRange : "")
                + (sameAs >= 0 ? " as t" + sameAs : "");
    }
}
