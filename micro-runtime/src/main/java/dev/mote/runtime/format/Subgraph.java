package dev.mote.runtime.format;

import java.util.List;

/** A subgraph: its tensors, its input and output tensor indices, and its operators in execution order. */
public record Subgraph(List<Tensor> tensors, int[] inputs, int[] outputs, List<Operator> operators, String name) {

    public Subgraph {
        tensors = List.copyOf(tensors);
        operators = List.copyOf(operators);
        inputs = inputs.clone();
        outputs = outputs.clone();
        name = name == null ? "" : name;
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    @Override
    public int[] outputs() {
        return outputs.clone();
    }

    public Tensor tensor(int index) {
        return tensors.get(index);
    }
}
