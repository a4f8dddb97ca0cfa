package dev.mote.dsl;

import java.util.List;

/**
 * An immutable, validated model declaration: nodes in topological order (node 0 is the input, the last node is
 * the output), each with its inferred shape. Built by {@code MicroModel}; read by the trainer and the exporter.
 */
public record ModelSpec(String name, List<LayerNode> nodes) {

    public ModelSpec {
        nodes = List.copyOf(nodes);
    }

    public LayerNode node(int index) {
        return nodes.get(index);
    }

    public Shape inputShape() {
        return nodes.get(0).outputShape();
    }

    public LayerNode output() {
        return nodes.get(nodes.size() - 1);
    }

    public Shape outputShape() {
        return output().outputShape();
    }

    /** True if every node reads exactly the node before it (a Sequential model). */
    public boolean isChain() {
        for (int i = 1; i < nodes.size(); i++) {
            int[] in = nodes.get(i).inputs();
            if (in.length != 1 || in[0] != i - 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Re-runs shape inference and every declaration rule on this spec (useful for specs assembled by hand) and
     * returns it.
     *
     * @throws InvalidModelSpecException naming the first offending node, also when a recorded shape or index
     *                                   differs from the inferred one
     */
    public ModelSpec validated() {
        List<Draft> drafts = new java.util.ArrayList<>(nodes.size());
        for (LayerNode node : nodes) {
            drafts.add(new Draft(node.name(), node.layer(), node.inputs()));
        }
        List<LayerNode> inferred = SpecChecker.check(name, drafts);
        for (int i = 0; i < nodes.size(); i++) {
            LayerNode recorded = nodes.get(i);
            if (recorded.index() != i) {
                throw new InvalidModelSpecException(i, recorded.name(), LayerNames.type(recorded.layer()),
                        InvalidModelSpecException.Rule.GRAPH_STRUCTURE, "records index " + recorded.index()
                        + " at position " + i, "a node's index is its position in the list");
            }
            if (!inferred.get(i).outputShape().equals(recorded.outputShape())) {
                throw new InvalidModelSpecException(i, recorded.name(), LayerNames.type(recorded.layer()),
                        InvalidModelSpecException.Rule.SHAPE_MISMATCH, "records output shape "
                        + recorded.outputShape() + ", shape inference gives " + inferred.get(i).outputShape(), null);
            }
        }
        return this;
    }

    /**
     * The Keras-like summary; print it or read its numbers. Arena figures come from the {@link ArenaEstimator}
     * registered as a {@code ServiceLoader} service (the exporter registers one), else they read "n/a".
     */
    public ModelSummary summary() {
        return ModelSummary.of(this);
    }

    /** The summary with TFLM arena figures (and the exported size) from {@code estimator}. */
    public ModelSummary summary(ArenaEstimator estimator) {
        return ModelSummary.of(this, estimator);
    }

    /**
     * The TFLite-layout shape of node {@code index}'s weights ({@code [units, in]} for Dense,
     * {@code [filters, kh, kw, in]} for Conv2D, {@code [1, kh, kw, in * multiplier]} for DepthwiseConv2D), or
     * {@code null} for layers without weights.
     */
    public int[] weightShape(int index) {
        LayerNode node = nodes.get(index);
        LayerSpec layer = node.layer();
        if (!(layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Conv2D
                || layer instanceof LayerSpec.DepthwiseConv2D)) {
            return null;
        }
        Shape in = nodes.get(node.input()).outputShape();
        int channels = in.dim(in.rank() - 1);
        if (layer instanceof LayerSpec.Dense d) {
            return new int[] {d.units(), (int) in.elementCount()};
        } else if (layer instanceof LayerSpec.Conv2D c) {
            return new int[] {c.filters(), c.kernelH(), c.kernelW(), channels};
        }
        LayerSpec.DepthwiseConv2D c = (LayerSpec.DepthwiseConv2D) layer;
        return new int[] {1, c.kernelH(), c.kernelW(), channels * c.depthMultiplier()};
    }

    /** The bias length of node {@code index} (its output channels), or 0 for layers without weights. */
    public int biasLength(int index) {
        int[] w = weightShape(index);
        if (w == null) {
            return 0;
        }
        return nodes.get(index).layer() instanceof LayerSpec.DepthwiseConv2D ? w[3] : w[0];
    }
}
