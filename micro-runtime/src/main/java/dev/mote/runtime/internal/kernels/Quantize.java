package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.Rounding;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * QUANTIZE, every pair TFLM's reference kernel evaluates except those with uint8: float32 → int8 or int16
 * ({@code roundf(x / scale) + zero_point} in float, clamped, as TFLM's {@code AffineQuantize}), and the integer
 * requantizations int8 → int8/int16/int32, int16 → int8/int16/int32, int32 → int8/int16
 * ({@code MultiplyByQuantizedMultiplier} by {@code in_scale / out_scale}, clamped to the output type, as TFLM's
 * {@code Requantize}). The output must be quantized per tensor. Pairs TFLM's prepare accepts but its eval rejects
 * (float32 → int32, int32 → int32) are refused in prepare.
 */
public final class Quantize implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private boolean fromFloat;
    private TensorType inputType;
    private TensorType outputType;
    private int elements;
    private float scale;
    private int zeroPoint;
    private int inputZeroPoint;
    private QuantizedMath.Multiplier multiplier;
    private final byte[] requantizeTable = new byte[256];
    /** For int8 and int16 inputs: the output of every input value ({@code table[q - MIN]}). */
    private int[] table;

    /** TFLM's {@code OpDataQuantizeReference}: {@code QuantizationParams} (zero point, double scale), 3 int32. */
    static CStruct opData(Abi abi) {
        CStruct quantizationParams = CStruct.of(abi).int32().float64().build();
        return CStruct.of(abi).struct(quantizationParams).int32s(3).build();
    }

    /** Checks the node and declares what TFLM's {@code PrepareQuantizeReference} allocates: output, then input. */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(1, 1, 1);
        node.allocateOpData(opData(node.abi()));
        node.allocateTempOutputTensor(0);
        node.allocateTempInputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        node.requireType(input, "input", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32);
        node.requireType(output, "output", TensorType.INT8, TensorType.INT16, TensorType.INT32);
        inputType = input.type();
        outputType = output.type();
        fromFloat = inputType == TensorType.FLOAT32;
        if ((fromFloat || inputType == TensorType.INT32) && outputType == TensorType.INT32) {
            // TFLM's prepare accepts these; its eval fails ("Input ..., output ... not supported")
            throw node.fail("output", "type INT32 is not supported for a " + inputType + " input (TFLM's QUANTIZE "
                    + "evaluates " + inputType + " to INT8 or INT16 only)");
        }
        TensorChecks.requireSameElementCount(node, input, output);
        TensorChecks.requirePerTensorQuantization(node, output, "output");
        elements = input.elementCount();
        scale = output.scale();
        zeroPoint = output.zeroPoint();
        if (fromFloat) {
            return;
        }
        TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input, "input");
        multiplier = QuantizedMath.quantizeMultiplier((double) input.scale() / (double) output.scale());
        inputZeroPoint = input.zeroPoint();
        if (inputType == TensorType.INT32) {
            return;
        }
        // Each output depends on one input value only: evaluate TFLM's Requantize once per value.
        int min = inputType == TensorType.INT8 ? Byte.MIN_VALUE : Short.MIN_VALUE;
        int max = inputType == TensorType.INT8 ? Byte.MAX_VALUE : Short.MAX_VALUE;
        table = new int[max - min + 1];
        for (int q = min; q <= max; q++) {
            table[q - min] = requantize(q);
        }
        if (inputType == TensorType.INT8 && outputType == TensorType.INT8) {
            for (int q = Byte.MIN_VALUE; q <= Byte.MAX_VALUE; q++) {
                requantizeTable[q & 0xFF] = (byte) table[q - min];
            }
        }
    }

    /** TFLM's {@code Requantize} of one input value, clamped to the output type. */
    private int requantize(int q) {
        int v = QuantizedMath.multiplyByQuantizedMultiplier(q - inputZeroPoint, multiplier) + zeroPoint;
        return switch (outputType) {
            case INT8 -> QuantizedMath.clamp(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> QuantizedMath.clamp(v, Short.MIN_VALUE, Short.MAX_VALUE);
            default -> v;
        };
    }

    /**
     * For int8 → int8, the output of every input value as prepare computed it ({@code table[q & 0xFF]}); null for
     * every other pair.
     */
    public byte[] requantizeTable() {
        return inputType == TensorType.INT8 && outputType == TensorType.INT8 ? requantizeTable.clone() : null;
    }

    /** The input and output types prepare found. */
    public TensorType inputType() {
        return inputType;
    }

    public TensorType outputType() {
        return outputType;
    }

    /** The output scale and zero point a float32 → int8 node quantizes with. */
    public float outputScale() {
        return scale;
    }

    public int outputZeroPoint() {
        return zeroPoint;
    }

    /** TFLM's {@code AffineQuantize} of one float into int8 with this scale and zero point. */
    static int quantizeToInt8(float x, float scale, int zeroPoint) {
        return quantize(x, scale, zeroPoint, Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    /** TFLM's {@code AffineQuantize} of one float into {@code [min, max]}. */
    static int quantize(float x, float scale, int zeroPoint, int min, int max) {
        // static_cast<int32_t>(TfLiteRound(val / static_cast<float>(scale))) + zero_point
        long rounded = (long) Rounding.halfAwayFromZero(x / scale);
        long v = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, rounded)) + zeroPoint;
        return (int) Math.max(min, Math.min(max, v));
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        if (inputType == TensorType.INT8 && outputType == TensorType.INT8) {
            for (int i = 0; i < elements; i++) {
                out[outBase + i] = requantizeTable[in[inBase + i] & 0xFF];
            }
            return;
        }
        int outMin = outputType == TensorType.INT8 ? Byte.MIN_VALUE : Short.MIN_VALUE;
        int outMax = outputType == TensorType.INT8 ? Byte.MAX_VALUE : Short.MAX_VALUE;
        for (int i = 0; i < elements; i++) {
            int v = switch (inputType) {
                case FLOAT32 -> quantize((float) FLOAT32.get(in, inBase + 4 * i), scale, zeroPoint, outMin, outMax);
                case INT8 -> table[in[inBase + i] - Byte.MIN_VALUE];
                case INT16 -> table[(short) INT16.get(in, inBase + 2 * i) - Short.MIN_VALUE];
                default -> requantize((int) INT32.get(in, inBase + 4 * i));
            };
            switch (outputType) {
                case INT8 -> out[outBase + i] = (byte) v;
                case INT16 -> INT16.set(out, outBase + 2 * i, (short) v);
                default -> INT32.set(out, outBase + 4 * i, v);
            }
        }
    }
}
