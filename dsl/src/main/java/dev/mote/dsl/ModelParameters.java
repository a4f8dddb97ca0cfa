package dev.mote.dsl;

/**
 * Everything a converter needs besides the {@link ModelSpec}: float weights and biases in TFLite's layout, and the
 * float range of every tensor that becomes int8. The trainer's {@code TrainedModel} implements it; tests implement
 * it with seeded random values.
 *
 * <p>Layouts (TFLite's): Dense weights {@code [units, inFeatures]}; Conv2D {@code [filters, kh, kw, inChannels]};
 * DepthwiseConv2D {@code [1, kh, kw, inChannels * multiplier]}; Conv1D as its image-view Conv2D
 * {@code [filters, 1, kernel, inChannels]}; LSTM the eight gate matrices and four gate biases concatenated in TFLite's
 * operand order (see {@link LayerSpec.Lstm}); all row-major. BatchNorm is already folded into the
 * preceding layer's weights and bias: BatchNorm nodes have no parameters, and their output range is the folded
 * layer's output range.
 */
public interface ModelParameters {

    /** The weights of node {@code nodeIndex} in TFLite layout, or {@code null} for nodes without weights. */
    float[] weights(int nodeIndex);

    /** The bias of node {@code nodeIndex} (zeros if the layer has no bias), or {@code null} without weights. */
    float[] bias(int nodeIndex);

    /** The range of node {@code nodeIndex}'s output (node 0 is the input). */
    ValueRange outputRange(int nodeIndex);

    /**
     * The range the cell state of the LSTM at node {@code nodeIndex} takes (calibrated or tracked in training),
     * from which an integer export chooses the int16 cell state's power-of-two scale; {@code null} if unknown (an
     * integer export of an LSTM then refuses) or the node is not an LSTM.
     */
    default ValueRange cellStateRange(int nodeIndex) {
        return null;
    }
}
