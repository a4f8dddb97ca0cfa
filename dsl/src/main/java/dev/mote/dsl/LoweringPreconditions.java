package dev.mote.dsl;

import dev.mote.dsl.InvalidModelSpecException.Rule;

import java.util.List;

/**
 * What {@link Lowering} needs of a spec, checked so that a spec assembled by hand (not through {@link MicroModel},
 * whose {@code build()} already enforces all of it) fails with a typed exception naming the node instead of
 * lowering to something wrong: node 0 is the only input, nodes are in topological order with their index as
 * position, each layer has the number of inputs it takes, and each batch norm can be folded.
 */
final class LoweringPreconditions {
    private LoweringPreconditions() {
    }

    static void check(ModelSpec spec) {
        List<LayerNode> nodes = spec.nodes();
        if (nodes.isEmpty() || !(nodes.get(0).layer() instanceof LayerSpec.Input)) {
            throw nodes.isEmpty()
                    ? new InvalidModelSpecException(-1, spec.name(), null, Rule.GRAPH_STRUCTURE,
                    "has no nodes; node 0 must be the Input layer", null)
                    : fail(nodes.get(0), 0, Rule.GRAPH_STRUCTURE, "is not an Input layer; node 0 must be the Input "
                    + "layer");
        }
        for (int i = 0; i < nodes.size(); i++) {
            LayerNode node = nodes.get(i);
            if (node.index() != i) {
                throw fail(node, i, Rule.GRAPH_STRUCTURE, "has index " + node.index() + " at position " + i);
            }
            LayerSpec layer = node.layer();
            if (i > 0 && layer instanceof LayerSpec.Input) {
                throw fail(node, i, Rule.GRAPH_STRUCTURE, "is a second Input layer; Mote exports single-input models");
            }
            int[] inputs = node.inputs();
            for (int in : inputs) {
                if (in < 0 || in >= i) {
                    throw fail(node, i, Rule.GRAPH_STRUCTURE, "reads node " + in + ", which does not come before it");
                }
            }
            int needed = layer instanceof LayerSpec.Input ? 0
                    : layer instanceof LayerSpec.Add || layer instanceof LayerSpec.Concatenate ? -2 : 1;
            if (needed >= 0 && inputs.length != needed || needed < 0 && inputs.length < -needed) {
                throw fail(node, i, Rule.GRAPH_STRUCTURE, "has " + inputs.length + " inputs, expected "
                        + (needed >= 0 ? "" : "at least ") + Math.abs(needed));
            }
        }
    }

    /**
     * The linear node the batch norm at {@code i} folds into: walking back through dropouts and batch norms that
     * nothing else reads, a Dense, Conv1D, Conv2D or DepthwiseConv2D whose output reaches nothing else.
     */
    static int foldTarget(ModelSpec spec, Lowering.Readers readers, int i) {
        LayerNode bn = spec.node(i);
        int p = bn.inputs()[0];
        while (isIdentity(spec.node(p).layer())) {
            if (readers.count(p) != 1) {
                throw fail(bn, i, Rule.BATCH_NORM_PLACEMENT, "cannot be folded: " + describe(spec.node(p))
                        + " between it and its layer has other readers");
            }
            p = spec.node(p).inputs()[0];
        }
        LayerSpec layer = spec.node(p).layer();
        if (!(layer instanceof LayerSpec.Dense || SequenceImage.equivalent2d(layer) instanceof LayerSpec.Conv2D
                || layer instanceof LayerSpec.DepthwiseConv2D)) {
            throw fail(bn, i, Rule.BATCH_NORM_PLACEMENT, "cannot be folded: it must follow Dense, Conv1D, Conv2D or "
                    + "DepthwiseConv2D directly, but follows " + describe(spec.node(p)));
        }
        if (readers.count(p) != 1) {
            throw fail(bn, i, Rule.BATCH_NORM_PLACEMENT, "cannot be folded: the output of " + describe(spec.node(p))
                    + " is also read by another layer");
        }
        return p;
    }

    private static boolean isIdentity(LayerSpec layer) {
        return layer instanceof LayerSpec.BatchNorm || layer instanceof LayerSpec.Dropout;
    }

    /** A node as the exporter's and the lowering's messages name it: index, name and layer record. */
    private static String describe(LayerNode node) {
        return "node " + node.index() + " '" + node.name() + "' ("
                + (node.layer() == null ? "null" : node.layer().getClass().getSimpleName()) + ")";
    }

    private static InvalidModelSpecException fail(LayerNode node, int position, Rule rule, String problem) {
        return new InvalidModelSpecException(position, node.name(), LayerNames.type(node.layer()), rule, problem,
                null);
    }
}
