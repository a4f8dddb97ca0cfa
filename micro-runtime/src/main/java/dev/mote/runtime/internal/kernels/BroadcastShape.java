package dev.mote.runtime.internal.kernels;

import java.util.Arrays;

/**
 * NumPy-style broadcasting of two shapes, as TFLite's elementwise binary kernels do it: shapes are right-aligned,
 * each pair of dimensions must be equal or contain a 1, and the output takes the larger. Built once in prepare;
 * {@link #forEachRun} then walks the output in runs along the innermost dimension with the matching input element
 * indices, without allocating.
 *
 * <pre>{@code
 * BroadcastShape b = BroadcastShape.of(new int[] {2, 3}, new int[] {3}, 4);   // output [2, 3]
 * b.forEachRun((out, in1, step1, in2, step2, length) -> ...);   // two runs of 3: in2 = 0, step2 = 1
 * }</pre>
 */
final class BroadcastShape {
    /** The most dimensions any of Mote's broadcasting kernels walks. */
    static final int MAX_RANK = 6;

    /** Receives a run of output elements along the innermost dimension (see {@link #forEachRun}). */
    @FunctionalInterface
    interface RunVisitor {
        void visit(int output, int input1, int step1, int input2, int step2, int length);
    }

    private final int[] outputShape;
    private final boolean requiresBroadcast;
    // Extended to MAX_RANK dimensions (leading 1s); a stride is 0 where that input is broadcast.
    private final int[] dims = new int[MAX_RANK];
    private final int[] strides1 = new int[MAX_RANK];
    private final int[] strides2 = new int[MAX_RANK];

    private BroadcastShape(int[] shape1, int[] shape2, int[] outputShape) {
        this.outputShape = outputShape;
        this.requiresBroadcast = !Arrays.equals(shape1, shape2);
        int[] ext1 = extend(shape1);
        int[] ext2 = extend(shape2);
        int[] extOut = extend(outputShape);
        int stride1 = 1;
        int stride2 = 1;
        for (int d = MAX_RANK - 1; d >= 0; d--) {
            dims[d] = extOut[d];
            strides1[d] = ext1[d] == 1 ? 0 : stride1;
            strides2[d] = ext2[d] == 1 ? 0 : stride2;
            stride1 *= ext1[d];
            stride2 *= ext2[d];
        }
    }

    private static int[] extend(int[] shape) {
        int[] out = new int[MAX_RANK];
        Arrays.fill(out, 1);
        System.arraycopy(shape, 0, out, MAX_RANK - shape.length, shape.length);
        return out;
    }

    /**
     * Broadcasts {@code shape1} with {@code shape2}, allowing at most {@code maxRank} dimensions (at most
     * {@link #MAX_RANK}). Throws {@link IllegalArgumentException} saying why when they do not broadcast.
     */
    static BroadcastShape of(int[] shape1, int[] shape2, int maxRank) {
        if (maxRank > MAX_RANK) {
            throw new IllegalArgumentException("at most " + MAX_RANK + " dimensions are supported");
        }
        int rank = Math.max(shape1.length, shape2.length);
        if (rank > maxRank) {
            throw new IllegalArgumentException("broadcasting supports at most " + maxRank + " dimensions, got shapes "
                    + Arrays.toString(shape1) + " and " + Arrays.toString(shape2));
        }
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int d1 = i <= shape1.length ? shape1[shape1.length - i] : 1;
            int d2 = i <= shape2.length ? shape2[shape2.length - i] : 1;
            if (d1 != d2 && d1 != 1 && d2 != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(shape1) + " and "
                        + Arrays.toString(shape2) + " do not broadcast (dimension " + (rank - i) + ": " + d1
                        + " vs " + d2 + ")");
            }
            out[rank - i] = d1 == 1 ? d2 : d1;
        }
        return new BroadcastShape(shape1, shape2, out);
    }

    /** The broadcast output shape (a copy). */
    int[] outputShape() {
        return outputShape.clone();
    }

    /** The output's dimensions extended to {@link #MAX_RANK} (leading 1s), a copy. */
    int[] dims() {
        return dims.clone();
    }

    /** Input 1's element stride per extended dimension (0 where it is broadcast), a copy. */
    int[] strides1() {
        return strides1.clone();
    }

    /** Input 2's element stride per extended dimension (0 where it is broadcast), a copy. */
    int[] strides2() {
        return strides2.clone();
    }

    /** False when both inputs have exactly the same shape (elementwise, no index arithmetic needed). */
    boolean requiresBroadcast() {
        return requiresBroadcast;
    }

    /**
     * Visits the output in row-major runs along the innermost dimension: each run is {@code length} consecutive
     * output elements from {@code output}, reading input 1 from {@code input1} in steps of {@code step1} (0 where
     * it is broadcast, else 1) and input 2 likewise. Kernels loop over a run themselves, so their per-element
     * arithmetic is not behind a call per element.
     */
    void forEachRun(RunVisitor visitor) {
        final int length = dims[MAX_RANK - 1];
        final int step1 = strides1[MAX_RANK - 1];
        final int step2 = strides2[MAX_RANK - 1];
        int out = 0;
        int a0 = 0;
        int b0 = 0;
        for (int i0 = 0; i0 < dims[0]; i0++, a0 += strides1[0], b0 += strides2[0]) {
            int a1 = a0;
            int b1 = b0;
            for (int i1 = 0; i1 < dims[1]; i1++, a1 += strides1[1], b1 += strides2[1]) {
                int a2 = a1;
                int b2 = b1;
                for (int i2 = 0; i2 < dims[2]; i2++, a2 += strides1[2], b2 += strides2[2]) {
                    int a3 = a2;
                    int b3 = b2;
                    for (int i3 = 0; i3 < dims[3]; i3++, a3 += strides1[3], b3 += strides2[3]) {
                        int a4 = a3;
                        int b4 = b3;
                        for (int i4 = 0; i4 < dims[4]; i4++, a4 += strides1[4], b4 += strides2[4]) {
                            visitor.visit(out, a4, step1, b4, step2, length);
                            out += length;
                        }
                    }
                }
            }
        }
    }
}
