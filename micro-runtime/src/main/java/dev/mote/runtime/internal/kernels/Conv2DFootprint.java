package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

/**
 * CONV_2D's arena footprint alone ({@link Conv2D#declareFootprint}), for the int8 nodes with an int4 filter Mote's
 * kernel refuses but TFLM prepares (with a scratch buffer to unpack the filter). Refuses any other node, and the
 * int4 nodes TFLM's {@code ConvPrepare} refuses (one scale, or one per output channel).
 */
final class Conv2DFootprint extends FootprintOnlyKernel {
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(2, 3, 1);
        MicroTensor input = node.requiredInput(0);
        MicroTensor filter = node.requiredInput(1);
        MicroTensor output = node.output(0);
        if (node.options(BuiltinOptions.Conv2D.class) == null) {
            throw node.fail("builtin_options", "CONV_2D needs Conv2DOptions");
        }
        node.requireType(input, "input", TensorType.INT8);
        node.requireType(filter, "filter", TensorType.INT4);
        node.requireType(output, "output", TensorType.INT8);
        if (input.rank() != 4 || filter.rank() != 4 || output.rank() != 4) {
            throw node.fail("filter", "input, filter and output must have rank 4");
        }
        int scales = filter.quantization().channelCount();
        if (scales != 1 && scales != filter.dim(0)) {
            throw node.fail("filter.quantization", "has " + scales + " scales; TFLM takes 1 or one per output "
                    + "channel (" + filter.dim(0) + ")");
        }
        Conv2D.declareFootprint(node, filter);
    }
}
