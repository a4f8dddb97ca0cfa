package dev.mote.runtime.format;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@link Workload}'s rule applied to an operator of a read model: the shapes of its input tensors (absent optional
 * operands as {@code null}) and of its first output. {@code mote inspect} and the HTML report count with this, so
 * their figures are the DSL summary's.
 *
 * <pre>{@code
 * Model model = ModelReader.read(bytes);
 * Subgraph main = model.subgraphs().get(0);
 * OptionalLong macs = OperatorWorkload.macs(model, main, main.operators().get(0));   // empty: not counted
 * }</pre>
 */
public final class OperatorWorkload {
    private OperatorWorkload() {
    }

    /**
     * The MACs of one invocation of {@code op}; empty for an operator {@link Workload} does not count, a custom or
     * unknown operator, or one without outputs.
     */
    public static OptionalLong macs(Model model, Subgraph subgraph, Operator op) {
        BuiltinOperator builtin = model.operatorCodes().get(op.opcodeIndex()).builtin();
        if (builtin == null || op.outputCount() == 0 || !inRange(subgraph, op.output(0))) {
            return OptionalLong.empty();
        }
        List<int[]> inputs = new ArrayList<>();
        for (int t : op.inputs()) {
            inputs.add(inRange(subgraph, t) ? subgraph.tensor(t).shape() : null);
        }
        return Workload.macs(builtin, inputs, subgraph.tensor(op.output(0)).shape());
    }

    private static boolean inRange(Subgraph subgraph, int tensor) {
        return tensor >= 0 && tensor < subgraph.tensors().size();
    }
}
