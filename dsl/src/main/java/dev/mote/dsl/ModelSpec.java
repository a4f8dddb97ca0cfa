package dev.mote.dsl;

import java.util.List;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, validated model declaration: nodes in topological order (node 0 is the input, the last node is
 * the output), each with its inferred shape. Every {@code ModelSpec} has passed shape inference and every
 * declaration rule: {@code MicroModel}'s {@code build()} and {@link #of} are the only ways to make one. Two specs
 * are equal when they have the same name and equal nodes, so two identical declarations are equal and hash alike.
 *
 * <pre>{@code
 * ModelSpec built = MicroModel.sequential("m").input(3).dense(2).build();
 * ModelSpec byHand = ModelSpec.of("m", built.nodes());   // runs every check again
 * assert built.equals(byHand);
 * }</pre>
 */
public final class ModelSpec {
    private final String name;
    private final List<LayerNode> nodes;

    private ModelSpec(String name, List<LayerNode> nodes) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
    }

    /**
     * A spec from nodes assembled by hand, after shape inference and every declaration rule; also the recorded
     * index and output shape of each node must be the inferred ones.
     *
     * @throws InvalidModelSpecException naming the first offending node
     */
    public static ModelSpec of(String name, List<LayerNode> nodes) {
        Objects.requireNonNull(nodes, "nodes");
        List<Draft> drafts = new ArrayList<>(nodes.size());
        for (LayerNode node : nodes) {
            Objects.requireNonNull(node, "node");
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
        return new ModelSpec(name, inferred);
    }

    /** The spec of drafts that {@link SpecChecker} has just checked (used by {@code MicroModel}). */
    static ModelSpec checked(String name, List<Draft> drafts) {
        return new ModelSpec(name, SpecChecker.check(name, drafts));
    }

    /** The model's name (it names the exported tensors and the C array). */
    public String name() {
        return name;
    }

    /** The nodes in topological order (unmodifiable). */
    public List<LayerNode> nodes() {
        return nodes;
    }

    /** Node {@code index}. */
    public LayerNode node(int index) {
        return nodes.get(index);
    }

    /** The shape of one input example (node 0's output). */
    public Shape inputShape() {
        return nodes.get(0).outputShape();
    }

    /** The output node (the last one). */
    public LayerNode output() {
        return nodes.get(nodes.size() - 1);
    }

    /** The shape of one output example. */
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
     * The Keras-like summary: per layer its output shape, parameters, the TFLite operator it becomes, its weight
     * flash and activation bytes, all computed exactly from the spec. The exporter's {@code ModelReport.of(spec)}
     * adds the {@code .tflite} size and TFLM's arena.
     */
    public ModelSummary summary() {
        return ModelSummary.of(this);
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec other && name.equals(other.name) && nodes.equals(other.nodes);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + nodes.hashCode();
    }

    @Override
    public String toString() {
        return "ModelSpec[name=" + name + ", nodes=" + nodes + "]";
    }
}
