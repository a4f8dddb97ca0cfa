package dev.mote.runtime.format;

import dev.mote.vocabulary.TensorType;

import java.util.Arrays;

/**
 * A tensor declaration of a subgraph: shape, element type, constant data (buffer index, 0 for none), name and
 * quantization.
 */
public record Tensor(int[] shape, TensorType type, int buffer, String name, Quantization quantization,
                     boolean isVariable) {

    public Tensor {
        shape = shape.clone();
        name = name == null ? "" : name;
        quantization = quantization == null ? Quantization.NONE : quantization;
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    /** Number of elements (the product of the dimensions; 1 for a scalar). Validated models cannot overflow. */
    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes the data occupies. */
    public long byteSize() {
        return elementCount() * type.bytesPerElement();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && type == t.type && buffer == t.buffer
                && name.equals(t.name) && quantization.equals(t.quantization) && isVariable == t.isVariable;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }
}
