package dev.mote.cli;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Subgraph;
import dev.mote.vocabulary.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The multiply-accumulates of a model's operators as {@code mote inspect} shows them: {@link Workload}'s rule (the
 * one the DSL summary counts a layer with) on the shapes of each operator's tensors.
 *
 * <pre>{@code
 * OptionalLong macs = OperatorMacs.of(model, subgraph, subgraph.operators().get(0)); // empty: not counted
 * }</pre>
 */
final class OperatorMacs {
    private OperatorMacs() {
    }

    /** The MACs of one invocation of {@code op}; empty for an operator the rule does not count (or an unknown one). */
    static OptionalLong of(Model m, Subgraph sg, Operator op) {
        OperatorCode code = m.operatorCodes().get(op.opcodeIndex());
        if (code.builtin() == null || op.outputCount() == 0) {
            return OptionalLong.empty();
        }
        List<int[]> shapes = new ArrayList<>();
        for (int t : op.inputs()) {
            shapes.add(t < 0 ? null : sg.tensor(t).shape());
        }
        return Workload.macs(code.builtin(), shapes, sg.tensor(op.output(0)).shape());
    }

    /**
     * The sum of {@code macs}, saturating at {@link Long#MAX_VALUE}; the empty entries (not counted) are left out,
     * so the caller says the total is incomplete when there are any.
     */
    static long total(List<OptionalLong> macs) {
        long sum = 0;
        for (OptionalLong n : macs) {
            long v = n.orElse(0);
            sum = v > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + v;
        }
        return sum;
    }
}
