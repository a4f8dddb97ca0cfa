package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;

/**
 * PAD and PADV2 (TFLM registers one kernel for both): surrounds the input with {@code paddings[d][0]} values before
 * and {@code paddings[d][1]} after each dimension {@code d}. {@code paddings} is a constant INT32 tensor of shape
 * {@code [rank, 2]} with non-negative values; ranks up to 5; float32, int8, int16 and int32. The pad value is the
 * optional third input (a one-element tensor of the input's type; for int8 with the output's scale and zero
 * point), else 0 — for int8 the output zero point, which represents 0.
 */
public final class Pad implements Kernel {
    private static final int MAX_RANK = 5;

    private int elementSize;
    private int[] inputShape;
    private int[] before;
    private int[] outputStrides;
    private int defaultPadBits;

    /** TFLM's pad {@code OpData}: {@code PadParams} (counts and before/after paddings of 5 axes), output zero point. */
    static CStruct opData(Abi abi) {
        CStruct padParams = CStruct.of(abi).int8().int32s(5).int8().int32s(5).int8().build();
        return CStruct.of(abi).struct(padParams).int32().build();
    }

    /**
     * Checks the node and declares what TFLM's {@code PadPrepare} (PAD and PADV2) allocates: input, paddings, the
     * constant value when given, output.
     */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(2, 3, 1);
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempInputTensor(1);
        if (node.inputCount() == 3) {
            node.allocateTempInputTensor(2);
        }
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor paddings = node.requiredInput(1);
        MicroTensor constantValues = node.inputCount() > 2 ? node.input(2) : null;
        MicroTensor output = node.output(0);
        elementSize = Shapes.elementSize(node, "input", input, TensorType.FLOAT32, TensorType.INT8, TensorType.INT16,
                TensorType.INT32);
        TensorChecks.requireSameType(node, input, output);
        Shapes.requireRank(node, "input", input, 0, MAX_RANK);
        int rank = input.rank();
        if (paddings.rank() != 2 || paddings.dim(0) != rank || paddings.dim(1) != 2) {
            throw node.fail("paddings", "must have shape [" + rank + ", 2] (rank of the input, before/after), got "
                    + Shapes.describe(paddings.shape()));
        }
        if (output.rank() != rank) {
            throw node.fail("output", "rank " + output.rank() + " differs from the input rank " + rank);
        }
        int[] pads = Shapes.constantInts(node, "paddings", paddings);
        before = new int[rank];
        int[] expected = new int[rank];
        for (int d = 0; d < rank; d++) {
            int lo = pads[2 * d];
            int hi = pads[2 * d + 1];
            if (lo < 0 || hi < 0) {
                throw node.fail("paddings[" + d + "]", "must be non-negative, got [" + lo + ", " + hi + "]");
            }
            long size = (long) input.dim(d) + lo + hi;
            if (size != output.dim(d)) {
                throw node.fail("output", "dimension " + d + " is " + output.dim(d) + ", expected " + size
                        + " (input " + input.dim(d) + " + paddings " + lo + " + " + hi + ")");
            }
            before[d] = lo;
            expected[d] = (int) size;
        }
        Shapes.requireShape(node, "output", output, expected);
        if (constantValues != null) {
            if (constantValues.type() != input.type()) {
                throw node.fail("constant_values", "type " + constantValues.type() + " differs from the input type "
                        + input.type());
            }
            if (constantValues.elementCount() != 1) {
                throw node.fail("constant_values", "must hold one value, got " + constantValues.elementCount());
            }
            if (input.type() == TensorType.INT8 && (constantValues.scale() != output.scale()
                    || constantValues.zeroPoint() != output.zeroPoint())) {
                throw node.fail("constant_values.quantization", "scale " + constantValues.scale() + " and zero point "
                        + constantValues.zeroPoint() + " differ from the output's (" + output.scale() + ", "
                        + output.zeroPoint() + ")");
            }
        } else if (input.type() == TensorType.INT8) {
            if (output.zeroPoint() < Byte.MIN_VALUE || output.zeroPoint() > Byte.MAX_VALUE) {
                throw node.fail("output.quantization", "zero point " + output.zeroPoint() + " is outside int8");
            }
            defaultPadBits = output.zeroPoint();
        }
        inputShape = input.shape();
        outputStrides = Shapes.strides(expected);
    }

    /**
     * What prepare derived (the C code generator emits it): input shape, padding before each axis, output strides,
     * and the pad byte used without a constant_values input.
     */
    public record Layout(int elementSize, int[] inputShape, int[] before, int[] outputStrides, int defaultPadBits) {
    }

    public Layout layout() {
        return new Layout(elementSize, inputShape.clone(), before.clone(), outputStrides.clone(), defaultPadBits);
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor constantValues = node.inputCount() > 2 ? node.input(2) : null;
        MicroTensor output = node.output(0);
        byte[] out = output.data();
        int outBase = output.dataOffset();
        fill(out, outBase, output.byteSize(), constantValues);
        if (input.elementCount() == 0) {
            return;
        }
        byte[] in = input.data();
        int inPos = input.dataOffset();
        int rank = inputShape.length;
        if (rank == 0) {
            Shapes.copyElement(in, inPos, out, outBase, elementSize);
            return;
        }
        int last = rank - 1;
        int rowBytes = inputShape[last] * elementSize;
        int[] index = new int[rank];
        int[] outer = inputShape.clone();
        outer[last] = 1;
        do {
            int dst = 0;
            for (int d = 0; d < rank; d++) {
                dst += (index[d] + before[d]) * outputStrides[d];
            }
            System.arraycopy(in, inPos, out, outBase + dst * elementSize, rowBytes);
            inPos += rowBytes;
        } while (Shapes.nextIndex(index, outer));
    }

    /** Writes the pad value into every element of the output. */
    private void fill(byte[] out, int base, int bytes, MicroTensor constantValues) {
        if (constantValues != null) {
            byte[] v = constantValues.data();
            int off = constantValues.dataOffset();
            for (int p = 0; p < bytes; p += elementSize) {
                Shapes.copyElement(v, off, out, base + p, elementSize);
            }
        } else {
            Arrays.fill(out, base, base + bytes, elementSize == 1 ? (byte) defaultPadBits : 0);
        }
    }
}
