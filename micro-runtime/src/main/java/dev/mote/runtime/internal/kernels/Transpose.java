package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.vocabulary.TensorType;

/**
 * TRANSPOSE: {@code output[i0, ..., in] = input[j]} with {@code j[perm[d]] = i[d]}, i.e. output dimension {@code d}
 * is input dimension {@code perm[d]}. The permutation is a constant INT32 vector; ranks 1 to 5 and float32, int8
 * and int16, as in TFLM.
 */
public final class Transpose implements Kernel {
    private static final int MAX_RANK = 5;

    private int[] outputShape;
    /** For each output dimension, the input stride (in elements) of the dimension it walks. */
    private int[] inputStrides;
    private int elementSize;

    /** Checks the node and declares what TFLM's transpose allocates: input, permutation, output (no OpData). */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(2, 2, 1);
        node.allocateTempInputTensor(0);
        node.allocateTempInputTensor(1);
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor permTensor = node.requiredInput(1);
        MicroTensor output = node.output(0);
        elementSize = Shapes.elementSize(node, "input", input, TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        TensorChecks.requireSameType(node, input, output);
        Shapes.requireRank(node, "input", input, 1, MAX_RANK);
        int rank = input.rank();
        if (permTensor.rank() != 1 || permTensor.dim(0) != rank) {
            throw node.fail("perm", "must be a vector of " + rank + " values (the input rank), got shape "
                    + Shapes.describe(permTensor.shape()));
        }
        int[] perm = Shapes.constantInts(node, "perm", permTensor);
        boolean[] seen = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            if (perm[d] < 0 || perm[d] >= rank) {
                throw node.fail("perm[" + d + "]", "value " + perm[d] + " is out of range 0 to " + (rank - 1));
            }
            if (seen[perm[d]]) {
                throw node.fail("perm", Shapes.describe(perm) + " is not a permutation: " + perm[d] + " repeats");
            }
            seen[perm[d]] = true;
        }
        int[] inStrides = Shapes.strides(input.shape());
        int[] expected = new int[rank];
        inputStrides = new int[rank];
        for (int d = 0; d < rank; d++) {
            expected[d] = input.dim(perm[d]);
            inputStrides[d] = inStrides[perm[d]];
        }
        Shapes.requireShape(node, "output", output, expected);
        outputShape = expected;
    }

    /** What prepare derived (the C code generator emits it): output shape, input strides per output axis. */
    public record Layout(int[] outputShape, int[] inputStrides, int elementSize) {
    }

    public Layout layout() {
        return new Layout(outputShape.clone(), inputStrides.clone(), elementSize);
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        if (output.elementCount() == 0) {
            return;
        }
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outPos = output.dataOffset();
        int rank = outputShape.length;
        int last = rank - 1;
        int innerCount = outputShape[last];
        int innerStride = inputStrides[last] * elementSize;
        int[] index = new int[rank];
        int[] outerShape = outputShape.clone();
        outerShape[last] = 1;
        do {
            int src = inBase;
            for (int d = 0; d < last; d++) {
                src += index[d] * inputStrides[d] * elementSize;
            }
            for (int i = 0; i < innerCount; i++) {
                Shapes.copyElement(in, src, out, outPos, elementSize);
                src += innerStride;
                outPos += elementSize;
            }
        } while (Shapes.nextIndex(index, outerShape));
    }
}
