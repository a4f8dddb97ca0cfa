package dev.mote.dsl;

import dev.mote.vocabulary.BuiltinOperator;

/** The activations the DSL offers, and the TFLite builtin each becomes when it is not fused. */
public enum ActivationKind {
    RELU(BuiltinOperator.RELU),
    RELU6(BuiltinOperator.RELU6),
    TANH(BuiltinOperator.TANH),
    SIGMOID(BuiltinOperator.LOGISTIC),
    SOFTMAX(BuiltinOperator.SOFTMAX),
    LEAKY_RELU(BuiltinOperator.LEAKY_RELU),
    HARD_SWISH(BuiltinOperator.HARD_SWISH);

    private final BuiltinOperator op;

    ActivationKind(BuiltinOperator op) {
        this.op = op;
    }

    /** The builtin operator this activation becomes as a standalone op. */
    public BuiltinOperator op() {
        return op;
    }
}
