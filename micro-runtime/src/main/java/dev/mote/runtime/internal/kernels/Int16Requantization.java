package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The end of every 16x8 weighted kernel (int16 activations, int8 weights): bias, requantization, output offset and
 * clamping, as TFLite's reference kernels do it. The accumulator type is the bias type TFLM dispatches on: with an
 * int64 bias the sum is int64 and requantized by the int64 {@code MultiplyByQuantizedMultiplier} (16-bit reduced
 * multiplier, {@link QuantizedMath#multiplyByQuantizedMultiplier(long, int, int)}); with an int32 bias the sum is
 * an int32 that wraps like the C one and the int32 {@code MultiplyByQuantizedMultiplier} is used; without a bias,
 * int64 ({@link #wideAccumulator}). The kernels sum their products in a {@code long}; its low 32 bits are the
 * wrapped int32 sum.
 */
final class Int16Requantization {
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final boolean wide;
    private final int[] multipliers;
    private final int[] shifts;
    private final int outputOffset;
    private final int actMin;
    private final int actMax;

    /**
     * @param wide         true for an int64 accumulator (int64 bias)
     * @param outputOffset the output zero point where the reference kernel adds it (FULLY_CONNECTED), else 0
     */
    Int16Requantization(boolean wide, int[] multipliers, int[] shifts, int outputOffset, int actMin, int actMax) {
        this.wide = wide;
        this.multipliers = multipliers;
        this.shifts = shifts;
        this.outputOffset = outputOffset;
        this.actMin = actMin;
        this.actMax = actMax;
    }

    /**
     * Whether the node accumulates in int64: an int64 bias, or no bias (TFLM's FULLY_CONNECTED and CONV_2D then
     * take their int64 path, as measured against the oracle build; DEPTHWISE_CONV_2D has no other). Refuses (naming the bias) a bias of another type than
     * {@code allowed}, and for int64 a shift the int64 requantization cannot take (C shifts by a negative amount
     * from a multiplier of 2^15 on).
     */
    static boolean wideAccumulator(NodeContext node, MicroTensor bias, int[] shifts, TensorType... allowed) {
        if (bias != null) {
            node.requireType(bias, "bias", allowed);
        }
        boolean wide = bias == null || bias.type() == TensorType.INT64;
        if (wide) {
            for (int c = 0; c < shifts.length; c++) {
                if (shifts[c] > 14) {
                    throw node.fail("output.quantization.scale", "gives channel " + c + " a requantization shift of "
                            + shifts[c] + "; TFLite's int64 MultiplyByQuantizedMultiplier takes shifts below 8 "
                            + "(from 15 on its C shift is undefined)");
                }
            }
        }
        return wide;
    }

    /** Writes output element {@code outIndex} (an int16) from channel {@code c}'s accumulated products. */
    void write(long acc, byte[] b, int bBase, int c, byte[] out, int outBase, int outIndex) {
        int v;
        if (wide) {
            long a = b == null ? acc : acc + (long) INT64.get(b, bBase + 8 * c);
            v = QuantizedMath.multiplyByQuantizedMultiplier(a, multipliers[c], shifts[c]);
        } else {
            int a = b == null ? (int) acc : (int) acc + (int) INT32.get(b, bBase + 4 * c);
            v = QuantizedMath.multiplyByQuantizedMultiplier(a, multipliers[c], shifts[c]);
        }
        v += outputOffset;
        v = v < actMin ? actMin : (v > actMax ? actMax : v);
        INT16.set(out, outBase + 2 * outIndex, (short) v);
    }

    /** Reads int16 element {@code index} of {@code data}. */
    static int int16(byte[] data, int base, int index) {
        return (short) INT16.get(data, base + 2 * index);
    }
}
