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
 * or float32 in and out, same shape. Subclasses give TFLM's arithmetic for one int8 value and one float value.
 *
 * <p>An int8 output depends only on its int8 input, so prepare evaluates the subclass's reference arithmetic once
 * for each of the 256 input values and invoke is a table lookup: the same bits as computing every element, without
 * per-element cost. (This is not the float lookup table of desktop TFLite: the table holds TFLM's integer results.)
 */
public abstract class ElementwiseUnaryKernel implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] table = new byte[256];
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
        node.requireType(input, "input", TensorType.INT8, TensorType.FLOAT32);
        TensorChecks.requireSameType(node, input, output);
        TensorChecks.requireSameElementCount(node, input, output);
        elements = input.elementCount();
        quantized = input.type() == TensorType.INT8;
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
            for (int q = Byte.MIN_VALUE; q <= Byte.MAX_VALUE; q++) {
                table[q & 0xFF] = (byte) int8Value(q);
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

    /** TFLM's float result for {@code x}. */
    abstract float floatValue(float x);

    /**
     * For an int8 node, the output value of every input value as prepare computed it with TFLM's arithmetic
     * ({@code table[q & 0xFF]}), which invoke looks up and the C code generator emits; null for float32.
     */
    public byte[] int8Table() {
        return quantized ? table.clone() : null;
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
        if (quantized) {
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
