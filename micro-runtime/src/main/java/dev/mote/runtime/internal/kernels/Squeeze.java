package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.format.BuiltinOptions;

import java.util.Arrays;

/**
 * SQUEEZE: removes dimensions of size 1 — those listed in {@code squeeze_dims} (negative values count from the
 * end), or all of them when the list is empty — and copies the bytes, for any fixed-size element type. Input rank
 * at most 8, as in TFLM.
 */
public final class Squeeze implements Kernel {
    private static final int MAX_RANK = 8;

    /** TFLM's {@code TfLiteSqueezeParams}: squeeze_dims[8], num_squeeze_dims. */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).int32s(8).int32().build();
    }

    /** Checks the node and declares what TFLM's squeeze allocates: the options, input and output (no OpData). */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(1, 1, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        TensorChecks.requireSameType(node, input, output);
        if (input.type().bytesPerElement() <= 0) {
            throw node.fail("input", "type " + input.type() + " has no fixed element size");
        }
        Shapes.requireRank(node, "input", input, 0, MAX_RANK);
        BuiltinOptions.Squeeze options = node.options(BuiltinOptions.Squeeze.class);
        int[] dims = options == null ? new int[0] : options.squeezeDims();
        int rank = input.rank();
        boolean[] squeeze = new boolean[rank];
        if (dims.length == 0) {
            for (int d = 0; d < rank; d++) {
                squeeze[d] = input.dim(d) == 1;
            }
        } else {
            for (int i = 0; i < dims.length; i++) {
                int d = Shapes.normalizeAxis(node, "squeeze_dims[" + i + "]", dims[i], rank);
                if (input.dim(d) != 1) {
                    throw node.fail("squeeze_dims[" + i + "]", "dimension " + d + " of the input "
                            + Shapes.describe(input.shape()) + " has size " + input.dim(d) + ", not 1");
                }
                squeeze[d] = true;
            }
        }
        int[] expected = new int[rank];
        int n = 0;
        for (int d = 0; d < rank; d++) {
            if (!squeeze[d]) {
                expected[n++] = input.dim(d);
            }
        }
        Shapes.requireShape(node, "output", output, Arrays.copyOf(expected, n));
    }

    @Override
    public void invoke(NodeContext node) {
        Shapes.copyAll(node.input(0), node.output(0));
    }
}
