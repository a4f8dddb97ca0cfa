package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.vocabulary.TensorType;

/**
 * FULLY_CONNECTED's arena footprint alone ({@link FullyConnected#declareFootprint}), for the int8 nodes with
 * per-channel weights Mote's kernel refuses but TFLM prepares (with per-channel multipliers and shifts). Refuses
 * any other node, and the per-channel nodes TFLM's {@code CalculateOpDataFullyConnected} refuses (one scale per
 * filter row along the quantized dimension, int8 throughout).
 */
final class FullyConnectedFootprint extends FootprintOnlyKernel {
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(2, 3, 1);
        MicroTensor input = node.requiredInput(0);
        MicroTensor filter = node.requiredInput(1);
        MicroTensor output = node.output(0);
        node.requireType(input, "input", TensorType.INT8);
        node.requireType(filter, "filter", TensorType.INT8);
        node.requireType(output, "output", TensorType.INT8);
        if (filter.rank() != 2) {
            throw node.fail("filter", "must have rank 2 [output_depth, accum_depth], got rank " + filter.rank());
        }
        int scales = filter.quantization().channelCount();
        int dimension = filter.quantization().quantizedDimension();
        if (scales < 2) {
            throw node.fail("filter.quantization", "has " + scales + " scale(s): only per-channel weights have a "
                    + "footprint-only declaration");
        }
        if (dimension < 0 || dimension >= filter.rank() || filter.dim(dimension) != scales) {
            throw node.fail("filter.quantization", scales + " scales along dimension " + dimension + " of a filter "
                    + "of shape " + Shapes.describe(filter.shape()));
        }
        if (!input.quantization().isQuantized() || !output.quantization().isQuantized()) {
            throw node.fail("quantization", "int8 input and output need scale and zero point");
        }
        FullyConnected.declareFootprint(node);
    }
}
