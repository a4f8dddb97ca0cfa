package dev.mote.dsl.plan;

import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;

import java.util.Arrays;

/**
 * One TFLite operator of the exported model, in execution order.
 *
 * <pre>{@code
 * for (PlannedOp op : plan.ops()) {
 *     System.out.println(op.op() + " from node " + op.node() + " writes t" + op.output());
 * }
 * }</pre>
 *
 * @param op     the builtin operator
 * @param node   the DSL node it comes from (for a QUANTIZE inserted before a concatenation: that concatenation)
 * @param inputs the activation tensors it reads, by {@link PlannedTensor#id()} (constants are the exporter's)
 * @param output the tensor it writes
 * @param fused  the fused activation ({@link Activation#NONE} if none)
 */
public record PlannedOp(BuiltinOperator op, int node, int[] inputs, int output, Activation fused) {

    public PlannedOp {
        inputs = inputs.clone();
    }

    /** The tensors read (a copy). */
    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedOp p && op == p.op && node == p.node && Arrays.equals(inputs, p.inputs)
                && output == p.output && fused == p.fused;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * op.hashCode() + node) + output;
    }

    @Override
    public String toString() {
        return op + "(node " + node + ", " + Arrays.toString(inputs) + " -> t" + output
                + (fused == Activation.NONE ? "" : ", " + fused) + ")";
    }
}
