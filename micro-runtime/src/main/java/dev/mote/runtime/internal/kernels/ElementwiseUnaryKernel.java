package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Common frame of the one-input activations (RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH): int8 in and out,
 * int16 in and out where the op accepts it (a table of 65536 results), or float32 in and out, same shape. Subclasses give TFLM's arithmetic for one int8 value and one float value.
 *
 * <p>An int8 output depends only on its int8 input, so prepare evaluates the subclass's reference arithmetic once
 * for each of the 256 input values and invoke is a table lookup: the same bits as computing every element, without
 * per-element cost. (This is not the float lookup table of desktop TFLite: the table holds TFLM's integer results.)
 */
public abstract class ElementwiseUnaryKernel implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] table = new byte[256];
    /** For an int16 node: the output of every input value ({@code int16Table[q - Short.MIN_VALUE]}). */
    private short[] int16Table;
    private boolean quantized;
    private int elements;

    /**
     * Checks the node and declares what the TFLM kernel allocates: its {@link #builtinData options} and
     * {@link #opData OpData}, then {@link #allocateTempTensors its temporary tensors}.
     */
    @Override
    public final void prepare(NodeContext node) {
        node.requireArity(1, 1, 1);
        CStruct params = builtinData(node.abi());
        if (params != null) {
            node.allocateBuiltinData(params);
        }
        node.allocateOpData(opData(node.abi()));
        allocateTempTensors(node);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        if (acceptsInt16()) {
            node.requireType(input, "input", TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        } else {
            node.requireType(input, "input", TensorType.INT8, TensorType.FLOAT32);
        }
        TensorChecks.requireSameType(node, input, output);
        TensorChecks.requireSameElementCount(node, input, output);
        elements = input.elementCount();
        boolean int16 = input.type() == TensorType.INT16;
        quantized = input.type() == TensorType.INT8 || int16;
        int16Table = null;
        if (quantized) {
            if (zeroInputScaleRuns()) {
                TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input, "input");
            } else {
                TensorChecks.requirePerTensorQuantization(node, input, "input");
            }
            if (zeroOutputScaleRuns()) {
                TensorChecks.requirePerTensorQuantizationOrZeroScale(node, output, "output");
            } else {
                TensorChecks.requirePerTensorQuantization(node, output, "output");
            }
            prepareInt8(node, input, output);
            if (int16) {
                int16Table = new short[1 << 16];
                for (int q = Short.MIN_VALUE; q <= Short.MAX_VALUE; q++) {
                    int16Table[q - Short.MIN_VALUE] = (short) int16Value(q);
                }
            } else {
                for (int q = Byte.MIN_VALUE; q <= Byte.MAX_VALUE; q++) {
                    table[q & 0xFF] = (byte) int8Value(q);
                }
            }
        } else {
            prepareFloat(node);
        }
    }

    /**
     * Whether an int8 input scale of 0 runs (with a warning), as in TFLM when the kernel only multiplies by it: the
     * default. RELU6 divides by it (its clamp bounds are {@code round(6 / scale)}), so it refuses it.
     */
    boolean zeroInputScaleRuns() {
        return true;
    }

    /**
     * Whether an int8 output scale of 0 runs (with a warning): only where TFLM's kernel ignores the output
     * quantization (TANH, RELU6); elsewhere TFLM divides by it. The default is {@code false}.
     */
    boolean zeroOutputScaleRuns() {
        return false;
    }

    /** The builtin-options struct TFLM's parser allocates for the op, or {@code null} (the default) for none. */
    CStruct builtinData(Abi abi) {
        return null;
    }

    /** The {@code OpData} TFLM's kernel allocates in {@code Init}. */
    abstract CStruct opData(Abi abi);

    /** The temporary tensors TFLM's {@code Prepare} allocates: input, then output (the default). */
    void allocateTempTensors(NodeContext node) {
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
    }

    /** Validates int8-specific options and quantization and computes the multipliers. */
    abstract void prepareInt8(NodeContext node, MicroTensor input, MicroTensor output);

    /** Validates float-specific options (none by default). */
    void prepareFloat(NodeContext node) {
    }

    /** TFLM's integer result (already clamped to int8) for the int8 input value {@code q}. */
    abstract int int8Value(int q);

    /** Whether the op runs int16 tensors (with {@link #int16Value}); false by default. */
    boolean acceptsInt16() {
        return false;
    }

    /**
     * TFLM's integer result (already clamped to int16) for the int16 input value {@code q}; {@link #prepareInt8}
     * prepared the node's quantization for either integer type.
     */
    int int16Value(int q) {
        throw new IllegalStateException(getClass().getSimpleName() + " has no int16 arithmetic");
    }

    static int clampInt16(int v) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }

    /** TFLM's float result for {@code x}. */
    abstract float floatValue(float x);

    /**
     * For an int8 node, the output value of every input value as prepare computed it with TFLM's arithmetic
     * ({@code table[q & 0xFF]}), which invoke looks up and the C code generator emits; null for float32 and int16.
     */
    public byte[] int8Table() {
        return quantized && int16Table == null ? table.clone() : null;
    }

    /** The element count of the prepared node. */
    public int elementCount() {
        return elements;
    }

    @Override
    public final void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        if (int16Table != null) {
            for (int i = 0; i < elements; i++) {
                INT16.set(out, outBase + 2 * i, int16Table[(short) INT16.get(in, inBase + 2 * i) - Short.MIN_VALUE]);
            }
        } else if (quantized) {
            for (int i = 0; i < elements; i++) {
                out[outBase + i] = table[in[inBase + i] & 0xFF];
            }
        } else {
            for (int i = 0; i < elements; i++) {
                FLOAT32.set(out, outBase + 4 * i, floatValue((float) FLOAT32.get(in, inBase + 4 * i)));
            }
        }
    }

    static int clampInt8(int v) {
        return Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, v));
    }
}
