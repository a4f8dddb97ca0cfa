package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.vocabulary.TensorType;

/**
 * EXPAND_DIMS: inserts a dimension of size 1 at {@code axis} (a constant INT32 tensor holding one value; a negative
 * axis counts from the end of the output, so −1 appends) and copies the bytes. float32, int8 and int16, as in
 * TFLM.
 */
public final class ExpandDims implements Kernel {

    /** Checks the node and declares what TFLM's expand dims allocates: input, axis, output (no OpData). */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(2, 2, 1);
        node.allocateTempInputTensor(0);
        node.allocateTempInputTensor(1);
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor axisTensor = node.requiredInput(1);
        MicroTensor output = node.output(0);
        node.requireType(input, "input", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        TensorChecks.requireSameTypeOrCopyableBytes(node, input, output);
        if (axisTensor.rank() > 1) {
            throw node.fail("axis", "must be a scalar or a vector of one value, got shape "
                    + Shapes.describe(axisTensor.shape()));
        }
        int[] axisValues = Shapes.constantInts(node, "axis", axisTensor);
        if (axisValues.length != 1) {
            throw node.fail("axis", "must hold exactly one value, got " + axisValues.length);
        }
        int rank = input.rank();
        int axis = Shapes.normalizeAxis(node, "axis", axisValues[0], rank + 1);
        int[] expected = new int[rank + 1];
        for (int d = 0, i = 0; d <= rank; d++) {
            expected[d] = d == axis ? 1 : input.dim(i++);
        }
        Shapes.requireShape(node, "output", output, expected);
    }

    @Override
    public void invoke(NodeContext node) {
        Shapes.copyAll(node.input(0), node.output(0));
    }
}
