package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.FixedPointMath;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.internal.QuantizedMath;

import java.util.function.IntUnaryOperator;

/**
 * The input stage that TFLM's int8 LOGISTIC and TANH share: the input difference {@code q - zero_point} is rescaled
 * to Q4.27 with {@code QuantizeMultiplier(input_scale * 2^27)}; differences at or beyond the input range radius
 * ({@code CalculateInputRadius(4, shift, 31)}) saturate the output to -128 or 127. Used at prepare time only (the
 * kernels tabulate all 256 int8 inputs).
 */
final class FixedPointInput {
    /** Integer bits of the Q4.27 input. */
    static final int INTEGER_BITS = 4;

    private final int zeroPoint;
    private final int multiplier;
    private final int leftShift;
    private final int rangeRadius;

    private FixedPointInput(MicroTensor input) {
        zeroPoint = input.zeroPoint();
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                (double) input.scale() * (double) (1 << (31 - INTEGER_BITS)));
        multiplier = m.multiplier();
        leftShift = m.shift();
        rangeRadius = FixedPointMath.calculateInputRadius(INTEGER_BITS, leftShift, 31);
    }

    static FixedPointInput of(MicroTensor input) {
        return new FixedPointInput(input);
    }

    /**
     * The int8 result for input {@code q}: -128 or 127 where the input saturates, otherwise {@code function} of the
     * input's Q4.27 value.
     */
    int apply(int q, IntUnaryOperator function) {
        int x = q - zeroPoint;
        if (x <= -rangeRadius) {
            return Byte.MIN_VALUE;
        }
        if (x >= rangeRadius) {
            return Byte.MAX_VALUE;
        }
        return function.applyAsInt(QuantizedMath.multiplyByQuantizedMultiplier(x, multiplier, leftShift));
    }
}
