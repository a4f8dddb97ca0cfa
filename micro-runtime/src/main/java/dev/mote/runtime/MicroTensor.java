package dev.mote.runtime;

import dev.mote.vocabulary.Rounding;

import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor as the interpreter sees it: its declaration plus where its bytes live — a window of the arena for
 * activations, a window of the model bytes for constants (read only). Element accessors are little-endian, as
 * on the device.
 *
 * <pre>{@code
 * MicroTensor in = interpreter.input(0);
 * in.setInt8(0, in.quantize(1.57f));
 * interpreter.invoke();
 * float y = interpreter.output(0).dequantize(0);
 * }</pre>
 *
 * <p>Outside a kernel a tensor's bytes are reached only through checked accessors (element getters and setters,
 * {@link #copyFrom}, {@link #toByteArray}, {@link #asReadOnlyBuffer}), which never write a constant; the live array
 * ({@link #data()}) is for kernels only. A tensor belongs to its interpreter, and so to one thread at a time.
 */
public final class MicroTensor {
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final int index;
    private final String name;
    private final TensorType type;
    private final int[] shape;
    private final Quantization quantization;
    private final boolean constant;
    private final boolean variable;
    private final int elementCount;
    private final int byteSize;
    private final KernelScope kernelScope;
    private byte[] data;
    private int offset;

    MicroTensor(int index, String name, TensorType type, int[] shape, Quantization quantization, boolean constant,
                boolean variable, KernelScope kernelScope) {
        this.variable = variable;
        this.kernelScope = kernelScope;
        this.index = index;
        this.name = name;
        this.type = type;
        this.shape = shape.clone();
        this.quantization = quantization;
        this.constant = constant;
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        this.elementCount = (int) n;
        this.byteSize = (int) (n * type.bytesPerElement());
    }

    void bind(byte[] data, int offset) {
        this.data = data;
        this.offset = offset;
    }

    /** Index of this tensor in the subgraph. */
    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public TensorType type() {
        return type;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int elementCount() {
        return elementCount;
    }

    public int byteSize() {
        return byteSize;
    }

    public Quantization quantization() {
        return quantization;
    }

    /** The per-tensor scale (first scale of a per-channel tensor). */
    public float scale() {
        return quantization.scale();
    }

    /** The per-tensor zero point. */
    public int zeroPoint() {
        return (int) quantization.zeroPoint();
    }

    /**
     * True for a variable tensor of the model ({@code is_variable}): a state such as LSTM's, kept in the arena across
     * invokes and reset by {@code allocateTensors} (to the zero point for int8, else to zero bytes), as in TFLM.
     */
    public boolean isVariable() {
        return variable;
    }

    /** True for tensors whose data comes from the model (weights, biases, shape tensors). */
    public boolean isConstant() {
        return constant;
    }

    /** True once the tensor has bytes (constants always; activations after {@code allocateTensors()}). */
    public boolean hasData() {
        return data != null;
    }

    /**
     * For kernels only: the live array holding this tensor's bytes, starting at {@link #dataOffset()}, so that hot
     * loops index it directly. It is the arena (activations) or the model's bytes (constants, which a kernel must not
     * write). Handed out only to the thread running a kernel's {@code prepare} or {@code invoke} of this tensor's
     * interpreter; anywhere else use {@link #asReadOnlyBuffer()}, {@link #toByteArray()}, {@link #copyFrom} or the
     * element accessors.
     *
     * @throws TensorAccessException if called outside a kernel
     */
    public byte[] data() {
        if (!kernelScope.isInside()) {
            throw new TensorAccessException("data() of " + this + " is for kernels (in prepare or invoke) only: it is "
                    + "the live arena or model array; read with asReadOnlyBuffer() or toByteArray(), write with "
                    + "copyFrom(...) or the set methods");
        }
        return data;
    }

    /** The live array without the kernel check, for the interpreter's own bookkeeping (arena guard mode). */
    byte[] bytes() {
        return data;
    }

    /**
     * A read-only little-endian view of this tensor's bytes (position 0, limit {@link #byteSize()}): no copy, and it
     * shows what later invocations write. Writing through it throws {@link java.nio.ReadOnlyBufferException}.
     *
     * <pre>{@code
     * ByteBuffer out = interpreter.output(0).asReadOnlyBuffer();
     * interpreter.invoke();
     * float first = out.getFloat(0);
     * }</pre>
     *
     * @throws IllegalStateException if the tensor has no bytes yet (an activation before {@code allocateTensors()})
     */
    public ByteBuffer asReadOnlyBuffer() {
        if (data == null) {
            throw new IllegalStateException(this + " has no bytes yet: call allocateTensors() first");
        }
        return ByteBuffer.wrap(data, offset, byteSize).slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int dataOffset() {
        return offset;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= elementCount) {
            throw new IndexOutOfBoundsException("element " + i + " of tensor '" + name + "' with " + elementCount + " elements");
        }
    }

    private void checkWritable() {
        if (constant) {
            throw new IllegalStateException("tensor '" + name + "' is a constant of the model and cannot be written");
        }
    }

    public byte getInt8(int i) {
        checkIndex(i);
        return data[offset + i];
    }

    public void setInt8(int i, int value) {
        checkIndex(i);
        checkWritable();
        data[offset + i] = (byte) value;
    }

    public short getInt16(int i) {
        checkIndex(i);
        return (short) INT16.get(data, offset + 2 * i);
    }

    public void setInt16(int i, int value) {
        checkIndex(i);
        checkWritable();
        INT16.set(data, offset + 2 * i, (short) value);
    }

    public int getInt32(int i) {
        checkIndex(i);
        return (int) INT32.get(data, offset + 4 * i);
    }

    public void setInt32(int i, int value) {
        checkIndex(i);
        checkWritable();
        INT32.set(data, offset + 4 * i, value);
    }

    public long getInt64(int i) {
        checkIndex(i);
        return (long) INT64.get(data, offset + 8 * i);
    }

    public float getFloat(int i) {
        checkIndex(i);
        return (float) FLOAT32.get(data, offset + 4 * i);
    }

    public void setFloat(int i, float value) {
        checkIndex(i);
        checkWritable();
        FLOAT32.set(data, offset + 4 * i, value);
    }

    /** All elements as ints (INT8, INT16, INT32, UINT8, BOOL tensors). */
    public int[] toIntArray() {
        int[] out = new int[elementCount];
        for (int i = 0; i < elementCount; i++) {
            out[i] = switch (type) {
                case INT8 -> data[offset + i];
                case UINT8, BOOL -> data[offset + i] & 0xFF;
                case INT16 -> getInt16(i);
                case INT32 -> getInt32(i);
                case INT64 -> (int) getInt64(i);
                default -> throw new IllegalStateException("tensor '" + name + "' is " + type + ", not an integer type");
            };
        }
        return out;
    }

    /** All elements as floats: FLOAT32 values as they are, quantized values dequantized per tensor. */
    public float[] toFloatArray() {
        float[] out = new float[elementCount];
        if (type == TensorType.FLOAT32) {
            for (int i = 0; i < elementCount; i++) {
                out[i] = getFloat(i);
            }
        } else {
            int[] raw = toIntArray();
            for (int i = 0; i < elementCount; i++) {
                out[i] = (raw[i] - zeroPoint()) * scale();
            }
        }
        return out;
    }

    /** A copy of the raw bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(data, offset, offset + byteSize);
    }

    /** Replaces the raw bytes (length must equal {@link #byteSize()}). */
    public void copyFrom(byte[] bytes) {
        checkWritable();
        if (bytes.length != byteSize) {
            throw new IllegalArgumentException("tensor '" + name + "' holds " + byteSize + " bytes, got " + bytes.length);
        }
        System.arraycopy(bytes, 0, data, offset, byteSize);
    }

    /**
     * The quantized value of {@code real} with this tensor's per-tensor parameters, rounded half away from zero
     * (as TFLite's converter and {@code QUANTIZE} do) and clamped to the type's range.
     */
    public int quantize(float real) {
        float scaled = real / scale();
        long q = (long) Rounding.halfAwayFromZero(scaled) + zeroPoint();
        long lo = type == TensorType.INT16 ? Short.MIN_VALUE : type == TensorType.UINT8 ? 0 : Byte.MIN_VALUE;
        long hi = type == TensorType.INT16 ? Short.MAX_VALUE : type == TensorType.UINT8 ? 255 : Byte.MAX_VALUE;
        return (int) Math.max(lo, Math.min(hi, q));
    }

    /** Writes {@code values}: as they are into a FLOAT32 tensor, quantized into an INT8/INT16 tensor. */
    public void setFloats(float... values) {
        if (values.length != elementCount) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + elementCount + " elements, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            switch (type) {
                case FLOAT32 -> setFloat(i, values[i]);
                case INT8, UINT8 -> setInt8(i, quantize(values[i]));
                case INT16 -> setInt16(i, quantize(values[i]));
                default -> throw new IllegalStateException("cannot write floats into a " + type + " tensor");
            }
        }
    }

    /** The real value of element {@code i}: FLOAT32 as is, quantized types dequantized. */
    public float dequantize(int i) {
        return switch (type) {
            case FLOAT32 -> getFloat(i);
            case INT8 -> (getInt8(i) - zeroPoint()) * scale();
            case UINT8 -> ((getInt8(i) & 0xFF) - zeroPoint()) * scale();
            case INT16 -> (getInt16(i) - zeroPoint()) * scale();
            case INT32 -> (getInt32(i) - zeroPoint()) * scale();
            default -> throw new IllegalStateException("cannot dequantize a " + type + " tensor");
        };
    }

    @Override
    public String toString() {
        return "tensor " + index + " '" + name + "' " + type + Arrays.toString(shape);
    }
}
