package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.vocabulary.TensorType;

/**
 * SOFTMAX's arena footprint alone ({@link Softmax#declareFootprint}), for the int16-input nodes Mote's kernel
 * refuses but TFLM prepares (with its two int16 lookup tables). Refuses any other node, and the int16 nodes TFLM's
 * {@code SoftmaxPrepare} refuses (output not int16 with zero point 0 and scale 1/32768).
 */
final class SoftmaxFootprint extends FootprintOnlyKernel {
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(1, 1, 1);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        node.requireType(input, "input", TensorType.INT16);
        node.requireType(output, "output", TensorType.INT16);
        if (input.rank() < 1) {
            throw node.fail("input", "must have rank >= 1");
        }
        TensorChecks.requirePerTensorQuantization(node, input, "input");
        TensorChecks.requirePerTensorQuantization(node, output, "output");
        if (output.zeroPoint() != 0 || Math.abs(output.scale() - 1.0f / 32768) > 0.001f * 1.0f / 32768) {
            throw node.fail("output.quantization", "int16 SOFTMAX needs scale 1/32768 and zero point 0, got scale "
                    + output.scale() + ", zero point " + output.zeroPoint());
        }
        Softmax.declareFootprint(node);
    }
}
