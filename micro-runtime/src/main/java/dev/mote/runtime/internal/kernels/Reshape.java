package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.memory.TflmStructs;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;

/**
 * RESHAPE: the output holds the input's bytes under another shape, for any fixed-size element type. Like TFLM the
 * output tensor's declared shape is the shape that counts and the bytes are copied (Mote's planner never lets the
 * two tensors share memory). The requested shape — the constant INT32 shape tensor (second input) if there is
 * one, else {@code new_shape} from the options — is checked against it after TFLM's {@code -1} inference (one
 * dimension may be {@code -1}; it becomes {@code input elements / product of the others}). A non-constant shape
 * tensor is ignored, as TFLM ignores it.
 */
public final class Reshape implements Kernel {

    /** TFLM's {@code TfLiteReshapeParams}: shape[8], num_dimensions. */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).int32s(8).int32().build();
    }

    /**
     * Checks the node and declares what TFLM's reshape allocates: the options, temporary input and output tensors,
     * and writable output dims in the tail when the output's declared shape has a stretch dimension (-1).
     */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(1, 2, 1);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
        for (int d : output.shape()) {
            if (d == -1) {
                node.allocatePersistentBuffer("writable output dims", TflmStructs.intArrayBytes(output.rank()));
                break;
            }
        }
        TensorChecks.requireSameType(node, input, output);
        if (input.type().bytesPerElement() <= 0) {
            throw node.fail("input", "type " + input.type() + " has no fixed element size");
        }
        if (node.inputCount() == 1 && output.rank() == 1 && output.dim(0) == 0 && input.elementCount() == 1) {
            throw node.fail("output", "the legacy scalar shape [0] is not supported; declare the output with shape []");
        }
        if (input.elementCount() != output.elementCount()) {
            throw node.fail("output", "shape " + Shapes.describe(output.shape()) + " has " + output.elementCount()
                    + " elements, the input " + Shapes.describe(input.shape()) + " has " + input.elementCount());
        }
        MicroTensor shapeTensor = node.inputCount() > 1 ? node.input(1) : null;
        if (shapeTensor != null && shapeTensor.type() == TensorType.INT32 && shapeTensor.rank() == 1) {
            if (shapeTensor.isConstant() || shapeTensor.elementCount() == 0) {
                checkRequested(node, "inputs[1]", Shapes.constantInts(node, "inputs[1]", shapeTensor), input, output);
            }
            return; // a computed shape tensor: TFLM uses the output's declared shape without looking at it
        }
        BuiltinOptions.Reshape options = node.options(BuiltinOptions.Reshape.class);
        if (options != null && options.newShape() != null) {
            checkRequested(node, "new_shape", options.newShape(), input, output);
        }
    }

    /** TFLM's {@code -1} inference on the requested shape, then equality with the output's declared shape. */
    private static void checkRequested(NodeContext node, String field, int[] requested, MicroTensor input,
                                       MicroTensor output) {
        int[] resolved = requested.clone();
        int stretch = -1;
        long known = 1;
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] == -1) {
                if (stretch != -1) {
                    throw node.fail(field, "more than one dimension is -1 in " + Shapes.describe(requested));
                }
                stretch = i;
            } else if (resolved[i] < 0) {
                throw node.fail(field, "dimension " + i + " is " + resolved[i] + " in " + Shapes.describe(requested));
            } else {
                known *= resolved[i];
            }
        }
        if (stretch != -1) {
            if (known == 0) {
                throw node.fail(field, "cannot infer the -1 dimension of " + Shapes.describe(requested)
                        + ": the other dimensions multiply to 0");
            }
            resolved[stretch] = (int) (input.elementCount() / known);
            known *= resolved[stretch];
        }
        if (known != input.elementCount()) {
            throw node.fail(field, Shapes.describe(requested) + " has " + known + " elements, the input "
                    + Shapes.describe(input.shape()) + " has " + input.elementCount());
        }
        if (!Arrays.equals(resolved, output.shape())) {
            throw node.fail(field, "resolves to " + Shapes.describe(resolved) + " but the output tensor is declared "
                    + Shapes.describe(output.shape()));
        }
    }

    @Override
    public void invoke(NodeContext node) {
        Shapes.copyAll(node.input(0), node.output(0));
    }
}
