package dev.mote.dsl;

/**
 * One node of a {@link ModelSpec}: its index (position in topological order), a unique name, what it computes,
 * the indices of the nodes it reads, and its inferred output shape (without batch).
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
}
