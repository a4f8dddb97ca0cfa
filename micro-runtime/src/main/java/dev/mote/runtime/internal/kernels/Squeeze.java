package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.format.BuiltinOptions;

import java.util.Arrays;

/**
 * SQUEEZE: removes dimensions of size 1 — those listed in {@code squeeze_dims} (negative values count from the
 * end), or all of them when the list is empty — and copies the bytes, for any fixed-size element type. Input rank
 * at most 8, as in TFLM. Like TFLM it accepts an output declared with another shape of the same byte size (with a
 * warning) as long as no kept dimension is larger than the output's at its index.
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
        TensorChecks.requireSameTypeOrCopyableBytes(node, input, output);
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
        int[] squeezed = Arrays.copyOf(expected, n);
        if (Arrays.equals(squeezed, output.shape())) {
            return;
        }
        // TFLM's SqueezePrepare only checks that each kept input dimension is at most the output dimension at the
        // same index (TFLITE_CHECK_GE, reading no further than the output's rank here), and its Eval that the byte
        // sizes match; it then copies the bytes. An output declared with another shape of the same size runs.
        if (output.byteSize() != input.byteSize()) {
            throw node.fail("output", "shape " + Shapes.describe(output.shape()) + " holds " + output.byteSize()
                    + " bytes, the input " + Shapes.describe(input.shape()) + " " + input.byteSize()
                    + " (TFLM's SQUEEZE fails on different byte sizes); declare the output "
                    + Shapes.describe(squeezed));
        }
        for (int i = 0; i < n && i < output.rank(); i++) {
            if (output.dim(i) < squeezed[i]) {
                throw node.fail("output", "dimension " + i + " is " + output.dim(i) + ", smaller than the kept input "
                        + "dimension " + squeezed[i] + " (TFLM's SQUEEZE aborts on it); declare the output "
                        + Shapes.describe(squeezed));
            }
        }
        node.warn(ModelWarning.Kind.SHAPE, "output", "shape " + Shapes.describe(output.shape())
                + " differs from the squeezed input shape " + Shapes.describe(squeezed) + "; SQUEEZE copies the "
                + "bytes (same size), as TFLM does");
    }

    @Override
    public void invoke(NodeContext node) {
        Shapes.copyAll(node.input(0), node.output(0));
    }
}
