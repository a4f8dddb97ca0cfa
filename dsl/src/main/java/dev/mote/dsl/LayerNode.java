package dev.mote.dsl;

import java.util.Arrays;
import java.util.Objects;

/**
 * One node of a {@link ModelSpec}: its index (position in topological order), a unique name, what it computes,
 * the indices of the nodes it reads, and its inferred output shape (without batch). Nodes compare by value
 * (the inputs by content). A node alone is not checked; {@link ModelSpec#of} checks the nodes of a spec.
 *
 * <pre>{@code
 * LayerNode dense = new LayerNode(1, "dense", new LayerSpec.Dense(2, true), new int[] {0}, Shape.of(2));
 * }</pre>
 */
public record LayerNode(int index, String name, LayerSpec layer, int[] inputs, Shape outputShape) {

    public LayerNode {
        inputs = inputs.clone();
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    /** The single input of a chain node (fails for the input node and multi-input nodes). */
    public int input() {
        if (inputs.length != 1) {
            throw new IllegalStateException(name + " has " + inputs.length + " inputs");
        }
        return inputs[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNode n && index == n.index && Objects.equals(name, n.name)
                && Objects.equals(layer, n.layer) && Arrays.equals(inputs, n.inputs)
                && Objects.equals(outputShape, n.outputShape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, name, layer, Arrays.hashCode(inputs), outputShape);
    }

    @Override
    public String toString() {
        return "LayerNode[index=" + index + ", name=" + name + ", layer=" + layer + ", inputs="
                + Arrays.toString(inputs) + ", outputShape=" + outputShape + "]";
    }
}
