package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.SequenceImage;
import dev.mote.dsl.Shape;
import dev.mote.dsl.plan.PlannedWeights;
import dev.mote.dsl.plan.TensorPlan;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every conversion between DL4J's layouts and TFLite's, in one place.
 *
 * <table>
 *   <caption>Layouts</caption>
 *   <tr><th>what</th><th>DL4J</th><th>TFLite</th></tr>
 *   <tr><td>image batch</td><td>{@code [n, c, h, w]}</td><td>{@code [n, h, w, c]}</td></tr>
 *   <tr><td>Dense weights</td><td>{@code [nIn, nOut]}</td><td>{@code [out, in]}</td></tr>
 *   <tr><td>Conv2D weights</td><td>{@code [out, in, kh, kw]}</td><td>{@code [out, kh, kw, in]}</td></tr>
 *   <tr><td>Conv2DTranspose weights</td><td>{@code [in, out, kh, kw]}</td><td>{@code [out, kh, kw, in]}</td></tr>
 *   <tr><td>DepthwiseConv2D weights</td><td>{@code [kh, kw, c, m]}</td><td>{@code [1, kh, kw, c * m]}</td></tr>
 *   <tr><td>flattened image</td><td>{@code c, h, w} order</td><td>{@code h, w, c} order</td></tr>
 *   <tr><td>sequence batch {@code [steps, c]}</td><td>{@code [n, c, 1, steps]} (the image view of
 *       {@link SequenceImage}, height 1); {@code [n, c, steps]} (RNN format NCW) around an LSTM</td>
 *       <td>{@code [n, steps, c]}</td></tr>
 *   <tr><td>Dense per step</td><td>a 1×1 convolution {@code [units, f, 1, 1]}</td><td>{@code [units, f]}</td></tr>
 *   <tr><td>LSTM weights</td><td>{@code W [f, 4u]}, {@code RW [u, 4u]}, {@code b [1, 4u]}; column blocks of
 *       {@code u}: cell input (tanh), forget, output, input gate</td>
 *       <td>operands 1..8: {@code input_to_{input, forget, cell, output} [u, f]}, then
 *       {@code recurrent_to_{..} [u, u]}, concatenated; biases 12..15 {@code [u]} each, same gate order</td></tr>
 * </table>
 *
 * <p>The last row matters for a Dense layer that reads a flattened feature map: DL4J's
 * {@code CnnToFeedForwardPreProcessor} flattens {@code [c, h, w]}, TFLite's RESHAPE flattens {@code [h, w, c]},
 * so the Dense weights' input axis is permuted on the way out ({@link #denseToTflite}) and back
 * ({@link #denseToDl4j}); {@link #flattenedImageBefore} finds the image shape a Dense input came from.
 */
public final class TfliteLayout {

    private TfliteLayout() {
    }

    /**
     * For each TFLite LSTM gate (input, forget, cell, output: operands 1..4, 5..8 and 12..15), the column block of
     * DL4J's LSTM parameters that holds it. DL4J's {@code LSTMHelpers} computes block 0 with the layer activation
     * (the cell input, TFLite's "cell" gate), block 1 the forget gate, block 2 the output gate and block 3 the
     * input ("input modulation") gate, all three with the gate activation; {@code c = f * c' + i * g},
     * {@code h = o * tanh(c)} in both. DL4J's {@code forgetGateBiasInit} fills block 1 of the bias.
     */
    static final int[] DL4J_BLOCK_OF_TFLITE_GATE = {3, 1, 0, 2};

    /**
     * The parameters a {@link TrainedModel} holds for a node, in TFLite layout: Dense/Conv2D/DepthwiseConv2D as
     * {@link PlannedWeights} says (bias length = output channels), an LSTM as its eight gate matrices concatenated
     * ({@code 4u·f + 4u·u} values, shape {@code [4u·f + 4u·u]}) and its four gate biases ({@code 4u}); null for
     * nodes without parameters.
     */
    record Parameters(int[] weightShape, long weightCount, int biasLength) {
        static Parameters of(TensorPlan plan, int node) {
            PlannedWeights planned = plan.weights(node);
            return planned == null ? null
                    : new Parameters(planned.shape(), planned.weightCount(), planned.outputChannels());
        }
    }

    /**
     * LSTM parameters: DL4J's input weights {@code [f, 4u]} and recurrent weights {@code [u, 4u]} → TFLite's eight
     * gate matrices, row-major, concatenated in operand order (input_to_input .. input_to_output {@code [u, f]},
     * recurrent_to_input .. recurrent_to_output {@code [u, u]}).
     */
    public static float[] lstmWeightsToTflite(INDArray inputWeights, INDArray recurrentWeights) {
        int features = (int) inputWeights.size(0);
        int units = (int) recurrentWeights.size(0);
        float[] w = flat(inputWeights);
        float[] rw = flat(recurrentWeights);
        float[] out = new float[w.length + rw.length];
        int at = 0;
        for (int[] part : new int[][] {{features, 0}, {units, 1}}) {
            int cols = part[0];
            float[] src = part[1] == 0 ? w : rw;
            for (int gate = 0; gate < 4; gate++) {
                int block = DL4J_BLOCK_OF_TFLITE_GATE[gate];
                for (int o = 0; o < units; o++) {
                    for (int j = 0; j < cols; j++) {
                        out[at++] = src[j * 4 * units + block * units + o];
                    }
                }
            }
        }
        return out;
    }

    /** LSTM bias: DL4J {@code [1, 4u]} → TFLite's four gate biases (input, forget, cell, output) concatenated. */
    public static float[] lstmBiasToTflite(INDArray bias) {
        float[] b = flat(bias);
        int units = b.length / 4;
        float[] out = new float[b.length];
        for (int gate = 0; gate < 4; gate++) {
            System.arraycopy(b, DL4J_BLOCK_OF_TFLITE_GATE[gate] * units, out, gate * units, units);
        }
        return out;
    }

    /** The inverse of {@link #lstmWeightsToTflite}: DL4J's {@code {W [f, 4u], RW [u, 4u]}}. */
    public static INDArray[] lstmWeightsToDl4j(float[] tflite, int units, int features) {
        float[] w = new float[features * 4 * units];
        float[] rw = new float[units * 4 * units];
        int at = 0;
        for (int part = 0; part < 2; part++) {
            int cols = part == 0 ? features : units;
            float[] dst = part == 0 ? w : rw;
            for (int gate = 0; gate < 4; gate++) {
                int block = DL4J_BLOCK_OF_TFLITE_GATE[gate];
                for (int o = 0; o < units; o++) {
                    for (int j = 0; j < cols; j++) {
                        dst[j * 4 * units + block * units + o] = tflite[at++];
                    }
                }
            }
        }
        return new INDArray[] {Nd4j.create(w, new long[] {features, 4L * units}, 'c'),
                Nd4j.create(rw, new long[] {units, 4L * units}, 'c')};
    }

    /** The inverse of {@link #lstmBiasToTflite}: DL4J's {@code [1, 4u]}. */
    public static INDArray lstmBiasToDl4j(float[] tflite) {
        int units = tflite.length / 4;
        float[] b = new float[tflite.length];
        for (int gate = 0; gate < 4; gate++) {
            System.arraycopy(tflite, gate * units, b, DL4J_BLOCK_OF_TFLITE_GATE[gate] * units, units);
        }
        return Nd4j.create(b, new long[] {1, tflite.length}, 'c');
    }

    /**
     * Dense weights: DL4J {@code [nIn, nOut]} → TFLite {@code [out, in]} row-major. If {@code flattenedFrom} is an
     * image shape {@code [h, w, c]}, DL4J's input index is {@code c*h*w}-ordered and is mapped to NHWC order.
     */
    public static float[] denseToTflite(INDArray w, Shape flattenedFrom) {
        int nIn = (int) w.size(0);
        int nOut = (int) w.size(1);
        float[] src = flat(w);
        int[] dl4jIndexOfTflite = inputPermutation(nIn, flattenedFrom);
        float[] out = new float[nIn * nOut];
        for (int o = 0; o < nOut; o++) {
            for (int j = 0; j < nIn; j++) {
                out[o * nIn + j] = src[dl4jIndexOfTflite[j] * nOut + o];
            }
        }
        return out;
    }

    /** The inverse of {@link #denseToTflite}: TFLite {@code [out, in]} → DL4J {@code [nIn, nOut]}. */
    public static INDArray denseToDl4j(float[] w, int out, int in, Shape flattenedFrom) {
        int[] dl4jIndexOfTflite = inputPermutation(in, flattenedFrom);
        float[] dst = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < in; j++) {
                dst[dl4jIndexOfTflite[j] * out + o] = w[o * in + j];
            }
        }
        return Nd4j.create(dst, new long[] {in, out}, 'c');
    }

    /** Conv2D weights: DL4J {@code [out, in, kh, kw]} → TFLite {@code [out, kh, kw, in]}. */
    public static float[] convToTflite(INDArray w) {
        return flat(w.permute(0, 2, 3, 1));
    }

    /** Conv2DTranspose weights: DL4J Deconvolution2D {@code [in, out, kh, kw]} → TFLite {@code [out, kh, kw, in]}. */
    public static float[] deconvToTflite(INDArray w) {
        return flat(w.permute(1, 2, 3, 0));
    }

    /** The inverse of {@link #deconvToTflite}. */
    public static INDArray deconvToDl4j(float[] w, int out, int kh, int kw, int in) {
        return Nd4j.create(w, new long[] {out, kh, kw, in}, 'c').permute(3, 0, 1, 2).dup('c');
    }

    /** The inverse of {@link #convToTflite}. */
    public static INDArray convToDl4j(float[] w, int out, int kh, int kw, int in) {
        return Nd4j.create(w, new long[] {out, kh, kw, in}, 'c').permute(0, 3, 1, 2).dup('c');
    }

    /**
     * DepthwiseConv2D weights: DL4J {@code [kh, kw, c, m]} → TFLite {@code [1, kh, kw, c * m]} (output channel
     * {@code c * m + j} in both, so this is a reshape).
     */
    public static float[] depthwiseToTflite(INDArray w) {
        return flat(w);
    }

    /** The inverse of {@link #depthwiseToTflite}. */
    public static INDArray depthwiseToDl4j(float[] w, int kh, int kw, int channels, int multiplier) {
        return Nd4j.create(w.clone(), new long[] {kh, kw, channels, multiplier}, 'c');
    }

    /**
     * A batch of examples in TFLite layout ({@code [n, h, w, c]}, or {@code [n, features]} holding each example
     * flattened in TFLite order) → DL4J's input for {@code shape}: {@code [n, c, h, w]} for images, {@code [n, c, 1,
     * steps]} for sequences {@code [steps, c]}, {@code [n, f]} otherwise.
     */
    public static INDArray featuresToDl4j(INDArray tflite, Shape shape) {
        long n = tflite.size(0);
        if (shape.rank() == 2) {
            return featuresToDl4j(tflite, SequenceImage.image(shape)); // [n, steps, c] is [n, 1, steps, c]
        }
        if (shape.rank() == 3) {
            return tflite.reshape('c', new long[] {n, shape.dim(0), shape.dim(1), shape.dim(2)}).permute(0, 3, 1, 2).dup('c');
        }
        return tflite.reshape('c', new long[] {n, shape.elementCount()}).dup('c');
    }

    /**
     * DL4J activations of a node with TFLite {@code shape} → TFLite layout {@code [n, ...shape]}. A sequence comes as
     * DL4J's image view {@code [n, c, 1, steps]} or RNN format {@code [n, c, steps]}.
     */
    public static INDArray activationsToTflite(INDArray dl4j, Shape shape) {
        if (dl4j.rank() == 4 && shape.rank() == 2) {
            return dl4j.permute(0, 2, 3, 1).dup('c').reshape('c', new long[] {dl4j.size(0), shape.dim(0), shape.dim(1)});
        }
        if (dl4j.rank() == 3 && shape.rank() == 2) {
            return dl4j.permute(0, 2, 1).dup('c');
        }
        if (dl4j.rank() == 4) {
            return dl4j.permute(0, 2, 3, 1).dup('c');
        }
        long[] s = new long[shape.rank() + 1];
        s[0] = dl4j.size(0);
        for (int i = 0; i < shape.rank(); i++) {
            s[i + 1] = shape.dim(i);
        }
        return dl4j.dup('c').reshape('c', s);
    }

    /**
     * Node {@code nodeIndex}'s DL4J activations → TFLite layout {@code [n, ...shape]}, undoing DL4J's
     * {@code [c, h, w]} flattening where the node is a flattened image ({@link #flattenedImageBefore}).
     */
    public static INDArray nodeActivationsToTflite(INDArray dl4j, ModelSpec spec, int nodeIndex) {
        Shape shape = spec.node(nodeIndex).outputShape();
        Shape image = flattenedImageBefore(spec, nodeIndex);
        if (dl4j.rank() == 2 && image != null) {
            INDArray nchw = dl4j.dup('c').reshape('c', new long[] {dl4j.size(0), image.dim(2), image.dim(0),
                    image.dim(1)});
            return nchw.permute(0, 2, 3, 1).dup('c').reshape('c', new long[] {dl4j.size(0), shape.dim(0)});
        }
        return activationsToTflite(dl4j, shape);
    }

    /**
     * If node {@code nodeIndex}'s 1-D output is, in DL4J, an image flattened in {@code [c, h, w]} order, that
     * image's TFLite shape {@code [h, w, c]} (a flattened sequence: its image view {@code [1, steps, c]}); otherwise
     * null. Follows element-wise nodes (activations, dropout,
     * batch norm) back to the Flatten.
     */
    public static Shape flattenedImageBefore(ModelSpec spec, int nodeIndex) {
        LayerNode node = spec.node(nodeIndex);
        if (node.outputShape().rank() != 1 || nodeIndex == 0) {
            return null;
        }
        LayerSpec layer = node.layer();
        if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Reshape) {
            Shape in = spec.node(node.input()).outputShape();
            if (in.rank() == 2) {
                return in.dim(1) == 1 ? null : SequenceImage.image(in); // DL4J flattens the image view [c, 1, steps]
            }
            if (in.rank() == 3) {
                return in.dim(2) == 1 ? null : in; // with one channel both orders coincide
            }
            return in.rank() == 1 ? flattenedImageBefore(spec, node.input()) : null;
        }
        if (layer instanceof LayerSpec.Activation || layer instanceof LayerSpec.Dropout
                || layer instanceof LayerSpec.BatchNorm) {
            return flattenedImageBefore(spec, node.input());
        }
        if (layer instanceof LayerSpec.Add || layer instanceof LayerSpec.Concatenate) {
            for (int in : node.inputs()) {
                if (flattenedImageBefore(spec, in) != null) {
                    throw new UnsupportedLayerException(node, "train " + layer.getClass().getSimpleName()
                            + " of flattened feature maps", "join the images before flattening them");
                }
            }
        }
        return null;
    }

    /** For each TFLite (NHWC-flattened) input index, the DL4J (CHW-flattened) index. */
    static int[] inputPermutation(int in, Shape flattenedFrom) {
        int[] perm = new int[in];
        if (flattenedFrom == null) {
            for (int j = 0; j < in; j++) {
                perm[j] = j;
            }
            return perm;
        }
        int h = flattenedFrom.dim(0);
        int w = flattenedFrom.dim(1);
        int c = flattenedFrom.dim(2);
        if ((long) h * w * c != in) {
            throw new IllegalArgumentException("flattened shape " + flattenedFrom + " has " + (long) h * w * c
                    + " elements, Dense has " + in + " inputs");
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    perm[(y * w + x) * c + ch] = (ch * h + y) * w + x;
                }
            }
        }
        return perm;
    }

    /** The values of {@code a} in C (row-major) order. */
    static float[] flat(INDArray a) {
        if (a.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT && a.ordering() == 'c' && a.offset() == 0
                && a.data().length() == a.length()
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a)) {
            return a.data().asFloat(); // the whole buffer in row-major order: one copy instead of two native ops
        }
        return a.dup('c').reshape('c', new long[] {a.length()}).toFloatVector();
    }
}
