package dev.mote.exporter;

import dev.mote.dsl.InvalidModelSpecException;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.plan.TensorPlan;

/** The exporter's failures that name a node: how a spec's plan is refused, and what a node's parameters lack. */
final class ExportFailures {
    private ExportFailures() {
    }

    /** The plan of {@code spec}, with the plan's refusal of a hand-assembled spec as an export failure. */
    static TensorPlan planOf(ModelSpec spec) {
        try {
            return TensorPlan.of(spec);
        } catch (InvalidModelSpecException e) {
            int i = e.layerIndex();
            String message = i < 0 || i >= spec.nodes().size()
                    ? "model '" + spec.name() + "' " + e.problem()
                    : "node " + i + " '" + e.layerName() + "' (" + simpleName(spec.nodes().get(i).layer()) + ") "
                    + e.problem();
            throw new ExportException(message, e);
        }
    }

    /** A failure of node {@code node}: "node 3 'conv' (Conv2D) " + problem. */
    static ExportException at(LayerNode node, String problem) {
        return new ExportException("node " + node.index() + " '" + node.name() + "' (" + simpleName(node.layer())
                + ") " + problem);
    }

    private static String simpleName(LayerSpec layer) {
        return layer == null ? "null" : layer.getClass().getSimpleName();
    }
}
