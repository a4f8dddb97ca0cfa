package dev.mote.dsl.plan;

import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.SequenceImage;
import dev.mote.dsl.Shape;

import java.util.Arrays;

/**
 * The constant weights and bias of a FULLY_CONNECTED, CONV_2D or DEPTHWISE_CONV_2D in TFLite's layout: what the
 * trainer hands over, what the exporter writes and what the summary counts.
 *
 * <pre>{@code
 * PlannedWeights w = plan.weights(node);      // null for layers without weights
 * int[] shape = w.shape();                    // e.g. [filters, kh, kw, inChannels]
 * boolean perChannel = w.channelAxis() >= 0;  // int8 scales along that axis
 * }</pre>
 *
 * @param node        the DSL node
 * @param layout      how the dimensions are ordered
 * @param shape       the weight tensor's shape
 * @param channelAxis the axis with one int8 scale per entry, or -1 for one scale (per tensor)
 * @param biasLength  the bias length, 0 if the operator gets no bias tensor
 */
public record PlannedWeights(int node, Layout layout, int[] shape, int channelAxis, int biasLength) {

    /** The dimension order of a weight tensor. */
    public enum Layout {
        /** FULLY_CONNECTED {@code [units, inFeatures]} (inFeatures in NHWC order after a flatten). */
        UNITS_BY_FEATURES,
        /** CONV_2D {@code [filters, kernelH, kernelW, inChannels]}. */
        FILTERS_HEIGHT_WIDTH_CHANNELS,
        /** DEPTHWISE_CONV_2D {@code [1, kernelH, kernelW, inChannels × multiplier]}. */
        ONE_HEIGHT_WIDTH_CHANNELS,
        /**
         * UNIDIRECTIONAL_SEQUENCE_LSTM: {@code [4 × units × (features + units)]}, the eight gate matrices of TFLite
         * operands 1 to 8 concatenated row-major (input weights {@code [units, features]} of the input, forget, cell
         * and output gates, then the recurrent weights {@code [units, units]} in the same gate order); the bias is
         * the four gate biases (operands 12 to 15) concatenated, {@code 4 × units}. Each matrix is its own int8
         * tensor with one scale ({@link #lstmMatrix}).
         */
        LSTM_GATES
    }

    public PlannedWeights {
        shape = shape.clone();
    }

    /**
     * The weights of {@code layer} reading a tensor of shape {@code in}, or {@code null} if it has none. This is
     * the one weight rule: layout and shape, the per-channel axis (CONV_2D 0, DEPTHWISE_CONV_2D 3,
     * FULLY_CONNECTED per tensor), and the bias (see {@link #getsBias}).
     *
     * @throws ArithmeticException if a dimension does not fit an int (the DSL refuses such declarations first)
     */
    public static PlannedWeights of(int node, LayerSpec declared, Shape in, boolean batchNormFolded) {
        LayerSpec layer = SequenceImage.equivalent2d(declared);
        long[] dims = dimensionsOf(layer, in);
        if (dims == null) {
            return null;
        }
        if (layer instanceof LayerSpec.Lstm l) {
            return new PlannedWeights(node, Layout.LSTM_GATES, new int[] {Math.toIntExact(dims[0])}, -1,
                    Math.multiplyExact(4, l.units()));
        }
        int[] shape = new int[dims.length];
        for (int d = 0; d < dims.length; d++) {
            shape[d] = Math.toIntExact(dims[d]);
        }
        Layout layout = layer instanceof LayerSpec.Dense ? Layout.UNITS_BY_FEATURES
                : layer instanceof LayerSpec.Conv2D || layer instanceof LayerSpec.Conv2DTranspose
                ? Layout.FILTERS_HEIGHT_WIDTH_CHANNELS
                : Layout.ONE_HEIGHT_WIDTH_CHANNELS;
        int axis = layout == Layout.UNITS_BY_FEATURES ? -1 : layout == Layout.FILTERS_HEIGHT_WIDTH_CHANNELS ? 0 : 3;
        int outputs = layout == Layout.ONE_HEIGHT_WIDTH_CHANNELS ? shape[3] : shape[0];
        return new PlannedWeights(node, layout, shape, axis, getsBias(layer, batchNormFolded) ? outputs : 0);
    }

    /**
     * The weight dimensions of {@code layer} in TFLite's layout, as longs (so that oversized declarations can be
     * measured before they are refused), or {@code null} for layers without weights: FULLY_CONNECTED
     * {@code [units, inFeatures]}, CONV_2D {@code [filters, kh, kw, inChannels]}, DEPTHWISE_CONV_2D
     * {@code [1, kh, kw, inChannels × multiplier]}.
     */
    public static long[] dimensionsOf(LayerSpec declared, Shape in) {
        LayerSpec layer = SequenceImage.equivalent2d(declared);
        long channels = in.rank() == 0 ? 0 : in.dim(in.rank() - 1);
        if (layer instanceof LayerSpec.Dense d) {
            // over a sequence, dense applies to every step (keep_num_dims): it reads the last dimension
            return new long[] {d.units(), in.rank() == 2 ? channels : in.elementCount()};
        } else if (layer instanceof LayerSpec.Conv2D c) {
            return new long[] {c.filters(), c.kernelH(), c.kernelW(), channels};
        } else if (layer instanceof LayerSpec.Conv2DTranspose c) {
            return new long[] {c.filters(), c.kernelH(), c.kernelW(), channels};
        } else if (layer instanceof LayerSpec.DepthwiseConv2D c) {
            return new long[] {1, c.kernelH(), c.kernelW(), channels * c.depthMultiplier()};
        } else if (layer instanceof LayerSpec.Lstm l) {
            return new long[] {4L * l.units() * (channels + l.units())};
        }
        return null;
    }

    /**
     * True if the operator of {@code layer} gets a bias tensor: CONV_2D and DEPTHWISE_CONV_2D always (zeros for a
     * layer without bias, as the TF converter writes them), FULLY_CONNECTED when the layer uses a bias or a batch
     * norm is folded into it.
     */
    public static boolean getsBias(LayerSpec declared, boolean batchNormFolded) {
        LayerSpec layer = SequenceImage.equivalent2d(declared);
        if (layer instanceof LayerSpec.Dense d) {
            return d.useBias() || batchNormFolded;
        }
        if (layer instanceof LayerSpec.Conv2DTranspose t) {
            return t.useBias();
        }
        return layer instanceof LayerSpec.Conv2D || layer instanceof LayerSpec.DepthwiseConv2D
                || layer instanceof LayerSpec.Lstm;
    }

    /**
     * For {@link Layout#LSTM_GATES}: where TFLite operand {@code operand} (1 to 8) starts in the concatenated
     * weights, and its shape: {@code {offset, rows, columns}}.
     */
    public int[] lstmMatrix(int operand) {
        if (layout != Layout.LSTM_GATES || operand < 1 || operand > 8) {
            throw new IllegalArgumentException("not an LSTM weight operand: " + operand + " of " + layout);
        }
        int units = biasLength / 4;
        int features = Math.toIntExact(weightCount() / (4L * units) - units);
        if (operand <= 4) {
            return new int[] {(operand - 1) * units * features, units, features};
        }
        return new int[] {4 * units * features + (operand - 5) * units * units, units, units};
    }

    /** The weight shape (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of weights. */
    public long weightCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The number of output channels (the bias length when there is a bias). */
    public int outputChannels() {
        return layout == Layout.ONE_HEIGHT_WIDTH_CHANNELS ? shape[3] : layout == Layout.LSTM_GATES ? biasLength
                : shape[0];
    }

    /** True if the operator gets a bias tensor. */
    public boolean hasBias() {
        return biasLength > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedWeights w && node == w.node && layout == w.layout && Arrays.equals(shape, w.shape)
                && channelAxis == w.channelAxis && biasLength == w.biasLength;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + node;
    }

    @Override
    public String toString() {
        return layout + Arrays.toString(shape) + (channelAxis >= 0 ? " per channel on axis " + channelAxis : "")
                + (biasLength > 0 ? ", bias " + biasLength : ", no bias");
    }
}
