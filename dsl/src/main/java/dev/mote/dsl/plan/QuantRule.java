package dev.mote.dsl.plan;

/**
 * How a {@link PlannedTensor}'s quantization parameters are chosen, as TFLite's quantization spec and converter
 * choose them.
 *
 * <pre>{@code
 * PlannedTensor t = plan.tensorOf(node);
 * if (t.rule() == QuantRule.LEARNED) {
 *     ValueRange r = parameters.outputRange(t.rangeNode());
 * }
 * }</pre>
 */
public enum QuantRule {
    /** From the float range of {@link PlannedTensor#rangeNode()} (calibrated or tracked during QAT). */
    LEARNED,
    /** Fixed by the producing operator (SOFTMAX, LOGISTIC, TANH): {@link PlannedTensor#fixedRange()}. */
    FIXED,
    /** Pass-through: the same parameters as the producer's first input (RESHAPE, pooling, MEAN, PAD). */
    SAME_AS_INPUT,
    /** Unified with a CONCATENATION: the parameters of the concatenation's output {@link PlannedTensor#sameAs()}. */
    UNIFIED,
    /**
     * An LSTM's output state (variable operand 18): the parameters of the LSTM's output tensor
     * {@link PlannedTensor#sameAs()}, since TFLM's kernel writes each step's output state into the output.
     */
    SAME_AS_OUTPUT,
    /**
     * An LSTM's cell state (variable operand 19): in an integer export int16, symmetric, with a power-of-two scale
     * covering {@code ModelParameters.cellStateRange(rangeNode)}
     * ({@link dev.mote.vocabulary.QuantizationRules#cellState}); float32 in a float export.
     */
    CELL_STATE
}
