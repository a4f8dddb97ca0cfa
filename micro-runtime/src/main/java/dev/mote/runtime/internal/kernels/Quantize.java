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
 * QUANTIZE: float32 → int8 ({@code roundf(x / scale) + zero_point} in float, clamped, as TFLM's
 * {@code AffineQuantize}) and int8 → int8 requantization ({@code MultiplyByQuantizedMultiplier} by
 * {@code in_scale / out_scale}, as TFLM's {@code Requantize}). The output must be quantized per tensor.
 */
public final class Quantize implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private boolean fromFloat;
    private int elements;
    private float scale;
    private int zeroPoint;
    private final byte[] requantizeTable = new byte[256];

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
        node.requireType(input, "input", TensorType.FLOAT32, TensorType.INT8);
        node.requireType(output, "output", TensorType.INT8);
        TensorChecks.requireSameElementCount(node, input, output);
        TensorChecks.requirePerTensorQuantization(node, output, "output");
        elements = input.elementCount();
        fromFloat = input.type() == TensorType.FLOAT32;
        scale = output.scale();
        zeroPoint = output.zeroPoint();
        if (fromFloat) {
            return;
        }
        TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input, "input");
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) input.scale() / (double) output.scale());
        int inputZeroPoint = input.zeroPoint();
        // Each output depends on one int8 input value only: evaluate TFLM's Requantize once per value.
        for (int q = Byte.MIN_VALUE; q <= Byte.MAX_VALUE; q++) {
            int v = QuantizedMath.multiplyByQuantizedMultiplier(q - inputZeroPoint, m) + zeroPoint;
            requantizeTable[q & 0xFF] = (byte) QuantizedMath.clamp(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
        }
    }

    /**
     * For int8 → int8, the output of every input value as prepare computed it ({@code table[q & 0xFF]}); null for
     * float32 → int8.
     */
    public byte[] requantizeTable() {
        return fromFloat ? null : requantizeTable.clone();
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
        // static_cast<int32_t>(TfLiteRound(val / static_cast<float>(scale))) + zero_point
        long rounded = (long) Rounding.halfAwayFromZero(x / scale);
        long v = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, rounded)) + zeroPoint;
        return (int) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, v));
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        if (fromFloat) {
            for (int i = 0; i < elements; i++) {
                out[outBase + i] = (byte) quantizeToInt8((float) FLOAT32.get(in, inBase + 4 * i), scale, zeroPoint);
            }
        } else {
            for (int i = 0; i < elements; i++) {
                out[outBase + i] = requantizeTable[in[inBase + i] & 0xFF];
            }
        }
    }
}
