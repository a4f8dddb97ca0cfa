package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * STRIDED_SLICE with TFLM's semantics: {@code begin}, {@code end} and {@code strides} are constant INT32 vectors
 * with one value per input dimension (inputs of rank 0 to 4); negative indices count from the end and are clamped
 * to the axis; {@code begin_mask}/{@code end_mask} bits take the whole axis in the stride's direction;
 * {@code shrink_axis_mask} bits take the single element at {@code begin} and drop the dimension. TFLM ignores
 * {@code ellipsis_mask}, {@code new_axis_mask} and {@code offset}, so a model that sets them would be sliced
 * differently there than in TensorFlow: Mote refuses it. A shrunk axis whose index is out of range or whose stride
 * is negative (TFLM writes nothing for it) is refused too.
 */
public final class StridedSlice implements Kernel {
    private static final int MAX_RANK = 4;

    /** Per input axis: first index, step and number of steps. */
    private int[] starts;
    private int[] steps;
    private int[] counts;
    private int[] inputStrides;
    private int elementSize;

    /**
     * TFLM's {@code TfLiteStridedSliceParams}: begin, end, ellipsis, new axis and shrink axis masks, offset.
     */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).int32s(5).bool().build();
    }

    /** TFLM's {@code StridedSliceParams} (its OpData): start, stop and strides of up to 5 axes, masks, offset. */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).int8().int32s(5).int8().int32s(5).int8().int32s(5).int16s(5).bool().build();
    }

    /** Checks the node and declares what TFLM's strided slice allocates: its four inputs, then the output. */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(4, 4, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        for (int i = 0; i < 4; i++) {
            node.allocateTempInputTensor(i);
        }
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        elementSize = Shapes.elementSize(node, "input", input, TensorType.FLOAT32, TensorType.INT8, TensorType.INT16,
                TensorType.INT32, TensorType.BOOL);
        TensorChecks.requireSameType(node, input, output);
        Shapes.requireRank(node, "input", input, 0, MAX_RANK);
        int rank = input.rank();
        int[] begin = indexVector(node, "begin", node.requiredInput(1), rank);
        int[] end = indexVector(node, "end", node.requiredInput(2), rank);
        int[] strides = indexVector(node, "strides", node.requiredInput(3), rank);
        BuiltinOptions.StridedSlice options = node.options(BuiltinOptions.StridedSlice.class);
        int beginMask = options == null ? 0 : options.beginMask();
        int endMask = options == null ? 0 : options.endMask();
        int shrinkMask = options == null ? 0 : options.shrinkAxisMask();
        // TFLM's STRIDED_SLICE reads neither mask: it runs the slice as if they were 0, and so does Mote (warning).
        if (options != null && options.ellipsisMask() != 0) {
            node.warn(ModelWarning.Kind.SHAPE, "ellipsis_mask", "is " + options.ellipsisMask() + "; TFLM ignores "
                    + "it and slices as if it were 0, and so does Mote");
        }
        if (options != null && options.newAxisMask() != 0) {
            node.warn(ModelWarning.Kind.SHAPE, "new_axis_mask", "is " + options.newAxisMask() + "; TFLM ignores "
                    + "it and slices as if it were 0, and so does Mote");
        }
        if (options != null && options.offset()) {
            throw node.fail("offset", "is true; TFLM refuses it, so only false is accepted");
        }
        starts = new int[rank];
        steps = strides;
        counts = new int[rank];
        List<Integer> expected = new ArrayList<>();
        for (int axis = 0; axis < rank; axis++) {
            int size = input.dim(axis);
            int stride = strides[axis];
            if (stride == 0) {
                throw node.fail("strides[" + axis + "]", "must be non-zero");
            }
            boolean shrink = (shrinkMask & (1 << axis)) != 0;
            int start = startForAxis(begin[axis], stride, size, (beginMask & (1 << axis)) != 0);
            if (shrink) {
                if (stride < 0) {
                    throw node.fail("strides[" + axis + "]", "is " + stride + " on an axis of shrink_axis_mask; TFLM "
                            + "slices nothing there, so only positive strides are accepted");
                }
                if (start >= size) {
                    throw node.fail("begin[" + axis + "]", "index " + begin[axis] + " is out of range for the shrunk "
                            + "axis " + axis + " of size " + size);
                }
                boolean masked = (beginMask & (1 << axis)) != 0;
                if (!masked && (begin[axis] < -size)) {
                    throw node.fail("begin[" + axis + "]", "index " + begin[axis] + " is out of range for the shrunk "
                            + "axis " + axis + " of size " + size);
                }
                starts[axis] = start;
                counts[axis] = 1;
                continue;
            }
            int stop = stopForAxis(end[axis], stride, size, (endMask & (1 << axis)) != 0);
            int count = stride > 0 ? ceilDiv(stop - start, stride) : ceilDiv(start - stop, -stride);
            starts[axis] = start;
            counts[axis] = Math.max(0, count);
            expected.add(counts[axis]);
        }
        Shapes.requireShape(node, "output", output, expected.stream().mapToInt(Integer::intValue).toArray());
        inputStrides = Shapes.strides(input.shape());
    }

    private static int[] indexVector(NodeContext node, String field, MicroTensor tensor, int rank) {
        if (tensor.rank() != 1 || tensor.dim(0) != rank) {
            throw node.fail(field, "must be a vector of " + rank + " values (the input rank), got shape "
                    + Shapes.describe(tensor.shape()));
        }
        return Shapes.constantInts(node, field, tensor);
    }

    /** TFLM's start index for an axis: in {@code [0, size]} for positive strides, {@code [-1, size-1]} otherwise. */
    private static int startForAxis(int begin, int stride, int size, boolean masked) {
        if (size == 0) {
            return 0;
        }
        if (masked) {
            return stride > 0 ? 0 : size - 1;
        }
        long start = begin < 0 ? (long) begin + size : begin;
        return stride > 0 ? (int) clamp(start, 0, size) : (int) clamp(start, -1, size - 1);
    }

    /** TFLM's exclusive stop index for an axis, clamped like the start. */
    private static int stopForAxis(int end, int stride, int size, boolean masked) {
        if (size == 0) {
            return 0;
        }
        if (masked) {
            return stride > 0 ? size : -1;
        }
        long stop = end < 0 ? (long) end + size : end;
        return stride > 0 ? (int) clamp(stop, 0, size) : (int) clamp(stop, -1, size - 1);
    }

    private static long clamp(long v, long lo, long hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** What prepare derived (the C code generator emits it): start, step and count per axis, input strides. */
    public record Layout(int[] starts, int[] steps, int[] counts, int[] inputStrides, int elementSize) {
    }

    public Layout layout() {
        return new Layout(starts.clone(), steps.clone(), counts.clone(), inputStrides.clone(), elementSize);
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        int rank = starts.length;
        for (int c : counts) {
            if (c == 0) {
                return;
            }
        }
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outPos = output.dataOffset();
        if (rank == 0) {
            Shapes.copyElement(in, inBase, out, outPos, elementSize);
            return;
        }
        int[] step = new int[rank];
        for (int d = 0; d < rank; d++) {
            step[d] = steps[d] * inputStrides[d] * elementSize;
        }
        int last = rank - 1;
        int[] index = new int[rank];
        int[] outer = counts.clone();
        outer[last] = 1;
        do {
            int src = inBase;
            for (int d = 0; d < rank; d++) {
                src += (starts[d] * inputStrides[d]) * elementSize + index[d] * step[d];
            }
            for (int i = 0; i < counts[last]; i++) {
                Shapes.copyElement(in, src, out, outPos, elementSize);
                src += step[last];
                outPos += elementSize;
            }
        } while (Shapes.nextIndex(index, outer));
    }
}
