package dev.mote.runtime.format;

/**
 * One operator of a subgraph, in execution order: which operator code it uses, its input and output tensor
 * indices ({@code -1} marks an omitted optional input) and its builtin options.
 */
public record Operator(int opcodeIndex, int[] inputs, int[] outputs, BuiltinOptions options) {

    public Operator {
        inputs = inputs.clone();
        outputs = outputs.clone();
        options = options == null ? BuiltinOptions.NONE : options;
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    @Override
    public int[] outputs() {
        return outputs.clone();
    }

    public int inputCount() {
        return inputs.length;
    }

    public int outputCount() {
        return outputs.length;
    }

    public int input(int i) {
        return inputs[i];
    }

    public int output(int i) {
        return outputs[i];
    }
}
