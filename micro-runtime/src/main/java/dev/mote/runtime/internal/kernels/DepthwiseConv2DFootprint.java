package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

/**
 * DEPTHWISE_CONV_2D's arena footprint alone ({@link DepthwiseConv2D#declareFootprint}), for the 16x8 nodes with an
 * int32 bias: TFLM prepares them, but its int16 kernel reads the bias as int64 (past the end of the int32 values),
 * so Mote's kernel refuses them. Refuses any other node.
 */
final class DepthwiseConv2DFootprint extends FootprintOnlyKernel {
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(3, 3, 1);
        MicroTensor input = node.requiredInput(0);
        MicroTensor filter = node.requiredInput(1);
        MicroTensor bias = node.requiredInput(2);
        MicroTensor output = node.output(0);
        if (node.options(BuiltinOptions.DepthwiseConv2D.class) == null) {
            throw node.fail("builtin_options", "DEPTHWISE_CONV_2D needs DepthwiseConv2DOptions");
        }
        node.requireType(input, "input", TensorType.INT16);
        node.requireType(filter, "filter", TensorType.INT8);
        node.requireType(bias, "bias", TensorType.INT32);
        node.requireType(output, "output", TensorType.INT16);
        if (input.rank() != 4 || filter.rank() != 4 || output.rank() != 4) {
            throw node.fail("filter", "input, filter and output must have rank 4");
        }
        DepthwiseConv2D.declareFootprint(node, filter);
    }
}
