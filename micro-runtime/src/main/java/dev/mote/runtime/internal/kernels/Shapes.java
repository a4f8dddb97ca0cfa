package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;

/**
 * Shape, axis and index arithmetic shared by the data-movement and reduction kernels (RESHAPE, SQUEEZE,
 * EXPAND_DIMS, TRANSPOSE, STRIDED_SLICE, CONCATENATION, PAD, MEAN): axis normalisation, row-major strides, reading
 * constant index tensors, and element copies by element size ({@link TensorChecks} holds the type and
 * quantization checks shared with the elementwise kernels). Every check fails through
 * {@link NodeContext#fail(String, String)} so that the message names the operator and the field.
 */
final class Shapes {
    private Shapes() {
    }

    /**
     * Maps a possibly negative axis into {@code [0, rank)} (−1 is the last axis), failing on {@code field} when it is
     * out of range.
     */
    static int normalizeAxis(NodeContext node, String field, int axis, int rank) {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank) {
            throw node.fail(field, "axis " + axis + " is out of range for rank " + rank + " (expected " + (-rank)
                    + " to " + (rank - 1) + ")");
        }
        return normalized;
    }

    /** Row-major strides in elements: {@code strides[last] = 1}, {@code strides[i] = strides[i+1] * shape[i+1]}. */
    static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /** The product of {@code shape[from..to)} (1 for an empty range). */
    static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }

    /** "[1, 2, 3]". */
    static String describe(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Fails unless {@code tensor} has exactly {@code expected} as its shape. */
    static void requireShape(NodeContext node, String field, MicroTensor tensor, int[] expected) {
        if (!Arrays.equals(tensor.shape(), expected)) {
            throw node.fail(field, "shape " + describe(tensor.shape()) + " differs from the expected "
                    + describe(expected));
        }
    }

    /** Fails unless the tensor's rank is within {@code [min, max]}. */
    static void requireRank(NodeContext node, String field, MicroTensor tensor, int min, int max) {
        if (tensor.rank() < min || tensor.rank() > max) {
            throw node.fail(field, "rank " + tensor.rank() + " is not supported (TFLM accepts " + min + " to " + max
                    + ")");
        }
    }

    /**
     * The values of a constant INT32 tensor of rank 0 or 1 (begin/end/strides, perm, paddings rows, axes). Fails
     * on {@code field} when the tensor is not a constant of the model or not INT32.
     */
    static int[] constantInts(NodeContext node, String field, MicroTensor tensor) {
        node.requireType(tensor, field, TensorType.INT32);
        if (tensor.elementCount() == 0) {
            return new int[0]; // an empty constant has no buffer to point at
        }
        node.requireConstant(tensor, field);
        int[] values = new int[tensor.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tensor.getInt32(i);
        }
        return values;
    }

    /** The element size in bytes of a type a copy kernel can move, failing on other types. */
    static int elementSize(NodeContext node, String field, MicroTensor tensor, TensorType... allowed) {
        node.requireType(tensor, field, allowed);
        int size = tensor.type().bytesPerElement();
        if (size <= 0) {
            throw node.fail(field, "type " + tensor.type() + " has no fixed element size");
        }
        return size;
    }

    /** Copies one element of {@code size} bytes (1, 2, 4 or 8). */
    static void copyElement(byte[] src, int srcOffset, byte[] dst, int dstOffset, int size) {
        switch (size) {
            case 1 -> dst[dstOffset] = src[srcOffset];
            case 2 -> {
                dst[dstOffset] = src[srcOffset];
                dst[dstOffset + 1] = src[srcOffset + 1];
            }
            case 4 -> {
                dst[dstOffset] = src[srcOffset];
                dst[dstOffset + 1] = src[srcOffset + 1];
                dst[dstOffset + 2] = src[srcOffset + 2];
                dst[dstOffset + 3] = src[srcOffset + 3];
            }
            default -> System.arraycopy(src, srcOffset, dst, dstOffset, size);
        }
    }

    /** Copies all bytes of {@code input} into {@code output} (same byte size, checked in prepare). */
    static void copyAll(MicroTensor input, MicroTensor output) {
        System.arraycopy(input.data(), input.dataOffset(), output.data(), output.dataOffset(), input.byteSize());
    }

    /**
     * Advances a row-major multi-index {@code index} over {@code shape} by one; returns false after the last index
     * (TFLite's {@code NextIndex}).
     */
    static boolean nextIndex(int[] index, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return true;
            }
            index[d] = 0;
        }
        return false;
    }
}
