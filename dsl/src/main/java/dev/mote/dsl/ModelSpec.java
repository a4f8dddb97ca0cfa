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
}
