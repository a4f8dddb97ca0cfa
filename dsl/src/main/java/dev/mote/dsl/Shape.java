package dev.mote.dsl;

import java.util.Arrays;

/**
 * The shape of one example, without the batch dimension, in TFLite's layout: {@code [features]},
 * {@code [steps, features]} or {@code [height, width, channels]} (NHWC).
 */
public record Shape(int[] dims) {

    public Shape {
        dims = dims.clone();
    }

    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    /** Elements per example (may exceed int range for invalid shapes, hence long). */
    public long elementCount() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The TFLite tensor shape with a leading batch dimension of 1. */
    public int[] withBatch() {
        int[] out = new int[dims.length + 1];
        out[0] = 1;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
