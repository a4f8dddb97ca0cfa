package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.Shape;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * TFLite's RESHAPE to an image shape: reorders the input as TFLite holds it (NHWC, row-major), reshapes, and hands
 * DL4J the result in its own layout (NCHW), so that {@code [1960] → [49, 40, 1]} or {@code [h, w, c] → [h', w', c']}
 * mean what they mean in the exported model. Inputs are DL4J activations of {@code from}: {@code [n, f]} in natural
 * order for 1-D shapes, {@code [n, c, h, w]} for images.
 */
final class NhwcReshapePreProcessor extends BaseInputPreProcessor {

    private static final long serialVersionUID = 1L;

    private final int[] from;
    private final int[] to;

    private NhwcReshapePreProcessor(Shape from, Shape to) {
        this.from = from.dims();
        this.to = to.dims();
    }

    /**
     * The preprocessor of Reshape node {@code reshape} from {@code from} to {@code to}.
     *
     * @throws UnsupportedLayerException unless it reshapes {@code [features]} or {@code [h, w, c]} into
     *                                   {@code [h, w, c]} of as many elements
     */
    static NhwcReshapePreProcessor of(LayerNode reshape, Shape from, Shape to) {
        if (to.rank() != 3 || (from.rank() != 1 && from.rank() != 3) || from.elementCount() != to.elementCount()) {
            throw new UnsupportedLayerException(reshape, "reshape " + from + " into " + to,
                    "it reshapes [features] or [height, width, channels] into [height, width, channels]: reshape to "
                    + "an image, or flatten() to [features]");
        }
        return new NhwcReshapePreProcessor(from, to);
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        INDArray nhwc = toNhwcFlat(input, from);
        INDArray out = fromNhwcFlat(nhwc, to);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        INDArray nhwc = toNhwcFlat(output, to);
        INDArray eps = fromNhwcFlat(nhwc, from);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, eps);
    }

    /** DL4J activations of a shape → {@code [n, elements]} in TFLite (NHWC) order. */
    private static INDArray toNhwcFlat(INDArray dl4j, int[] shape) {
        long n = dl4j.size(0);
        INDArray nhwc = shape.length == 3 ? dl4j.permute(0, 2, 3, 1) : dl4j;
        return nhwc.dup('c').reshape('c', new long[] {n, dl4j.length() / n});
    }

    /** {@code [n, elements]} in TFLite order → DL4J activations of a shape. */
    private static INDArray fromNhwcFlat(INDArray flat, int[] shape) {
        long n = flat.size(0);
        if (shape.length == 3) {
            return flat.reshape('c', new long[] {n, shape[0], shape[1], shape[2]}).permute(0, 3, 1, 2).dup('c');
        }
        return flat.dup('c');
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return InputType.convolutional(to[0], to[1], to[2]);
    }

    @Override
    public NhwcReshapePreProcessor clone() {
        return new NhwcReshapePreProcessor(Shape.of(from), Shape.of(to));
    }
}
