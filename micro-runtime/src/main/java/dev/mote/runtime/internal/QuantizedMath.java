package dev.mote.runtime.internal;

import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.Rounding;

/**
 * The integer arithmetic of TFLite's reference kernels (the ones TFLM compiles), in one place: fixed-point
 * multipliers, the double-rounding requantization path ({@code TFLITE_SINGLE_ROUNDING} is not defined in TFLM),
 * and activation ranges. Every kernel uses these; nothing else may re-derive them.
 */
public final class QuantizedMath {
    private QuantizedMath() {
    }

    /** A multiplier {@code m * 2^shift} with {@code m} a Q31 fixed-point number in [0.5, 1). */
    public record Multiplier(int multiplier, int shift) {
    }

    /** TFLite's {@code QuantizeMultiplier}: {@code real ≈ multiplier * 2^(shift - 31)}. */
    public static Multiplier quantizeMultiplier(double real) {
        if (real == 0.0) {
            return new Multiplier(0, 0);
        }
        // frexp: real = q * 2^shift with |q| in [0.5, 1)
        int shift = Math.getExponent(real) + 1;
        double q;
        if (Math.getExponent(real) < Double.MIN_EXPONENT) { // subnormal
            double normalized = real * 0x1p54;
            shift = Math.getExponent(normalized) + 1 - 54;
            q = normalized / Math.scalb(1.0, Math.getExponent(normalized) + 1);
        } else {
            q = real / Math.scalb(1.0, shift);
        }
        long qFixed = (long) Rounding.halfAwayFromZero(q * (1L << 31));
        if (qFixed == (1L << 31)) {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31) {
            shift = 0;
            qFixed = 0;
        }
        // No cap at shift 30: that cap exists only in TFLite's TFLITE_SINGLE_ROUNDING build, which TFLM is not.
        return new Multiplier((int) qFixed, shift);
    }

    /** gemmlowp's {@code SaturatingRoundingDoublingHighMul}. */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31));
    }

    /** gemmlowp's {@code RoundingDivideByPOT}: divide by 2^exponent, rounding half away from zero. */
    public static int roundingDivideByPOT(int x, int exponent) {
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /** TFLite's {@code MultiplyByQuantizedMultiplier} (double rounding, as in TFLM). */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier), rightShift);
    }

    /**
     * {@link #multiplyByQuantizedMultiplier(int, int, int)} in a branch-free, single-final-shift form for hot loops,
     * with the shift prepared once: {@link #leftShift(int)}, {@link #roundingAddend(int)},
     * {@link #negativeAdjust(int)} and {@link #totalRightShift(int)} of the same {@code shift} (at least -31, as
     * {@link #quantizeMultiplier} gives). Requires {@code multiplier != Integer.MIN_VALUE} (then
     * {@code SaturatingRoundingDoublingHighMul} never saturates; {@code QuantizeMultiplier} of a positive real never
     * gives it). Same result as the two-step form for every input, with {@code e = max(-shift, 0)} and
     * {@code T = x * 2^left * multiplier + 2^30} (exact in 64 bits):
     * <ul>
     * <li>the doubling high multiply nudges by {@code 2^30} (positive product) or {@code 1 - 2^30} (negative) and
     * truncates towards zero; both cases equal {@code h = floor(T / 2^31)};</li>
     * <li>{@code RoundingDivideByPOT(h, e)} (half away from zero) is {@code floor((h + k) / 2^e)} with
     * {@code k = 2^(e-1)} for {@code h >= 0}, {@code 2^(e-1) - 1} for {@code h < 0} ({@code k = 0} when
     * {@code e = 0}); {@code h < 0} exactly when {@code T < 0}, and nested floor divisions by powers of two
     * combine, so the result is {@code floor((T + k * 2^31) / 2^(31 + e))}: one arithmetic shift.</li>
     * </ul>
     */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int leftShift, long roundingAddend,
                                                    long negativeAdjust, int totalRightShift) {
        long t = (long) (x * (1 << leftShift)) * multiplier + (1L << 30);
        return (int) ((t + roundingAddend + ((t >> 63) & negativeAdjust)) >> totalRightShift);
    }

    /**
     * The prepared form of {@link #multiplyByQuantizedMultiplier(int, int, int, long, long, int)} for a negative
     * {@code shift} (a right shift, the usual case of convolution requantization): no left shift, and the negative
     * adjustment {@code -2^31} taken from the sign of {@code T} by shifts instead of a table.
     */
    public static int multiplyByQuantizedMultiplierRightShift(int x, int multiplier, long roundingAddend,
                                                              int totalRightShift) {
        long t = (long) x * multiplier + (1L << 30);
        return (int) ((t + roundingAddend + ((t >> 63) << 31)) >> totalRightShift);
    }

    /** {@code max(shift, 0)}, for {@link #multiplyByQuantizedMultiplier(int, int, int, long, long, int)}. */
    public static int leftShift(int shift) {
        return Math.max(shift, 0);
    }

    /** {@code 2^(e-1) * 2^31} for {@code e = -shift > 0}, else 0 (see the prepared form). */
    public static long roundingAddend(int shift) {
        return shift < 0 ? 1L << (30 - shift) : 0L;
    }

    /** {@code -2^31} for {@code shift < 0}, else 0: the {@code -1 * 2^31} of a negative value (prepared form). */
    public static long negativeAdjust(int shift) {
        return shift < 0 ? -(1L << 31) : 0L;
    }

    /** {@code 31 + max(-shift, 0)}, for {@link #multiplyByQuantizedMultiplier(int, int, int, long, long, int)}. */
    public static int totalRightShift(int shift) {
        return 31 + Math.max(-shift, 0);
    }

    /**
     * TFLite's {@code MultiplyByQuantizedMultiplier} for an int64 accumulator (the 16x8 kernels with an int64 bias),
     * in TFLM's double-rounding build: the multiplier is first reduced to 16 bits
     * ({@code (multiplier + 2^15) >> 16}, saturated at {@code 0x7FFF} from {@code 0x7FFF0000}), then one rounding
     * shift by {@code 15 - shift}; the result is truncated to 32 bits as C's conversion does. Requires
     * {@code shift <= 14} (TFLite asserts {@code shift < 8}; from 15 on the C shift is undefined).
     */
    public static int multiplyByQuantizedMultiplier(long x, int multiplier, int shift) {
        int reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
        int totalShift = 15 - shift;
        long t = x * reduced + (1L << (totalShift - 1));
        return (int) (t >> totalShift);
    }

    /** {@link #multiplyByQuantizedMultiplier(int, int, int)} with a {@link Multiplier}. */
    public static int multiplyByQuantizedMultiplier(int x, Multiplier m) {
        return multiplyByQuantizedMultiplier(x, m.multiplier(), m.shift());
    }

    /** An inclusive range {@code [min, max]} for a fused activation. */
    public record IntRange(int min, int max) {
    }

    /** An inclusive float range for a fused activation. */
    public record FloatRange(float min, float max) {
    }

    /**
     * TFLite's {@code CalculateActivationRangeQuantized} for an output with the given scale and zero point, within
     * {@code [qmin, qmax]} (the type's range).
     */
    public static IntRange activationRange(Activation activation, float scale, int zeroPoint, int qmin, int qmax) {
        return switch (activation) {
            case RELU -> new IntRange(Math.max(qmin, quantizeForRange(0f, scale, zeroPoint)), qmax);
            case RELU6 -> new IntRange(Math.max(qmin, quantizeForRange(0f, scale, zeroPoint)),
                    Math.min(qmax, quantizeForRange(6f, scale, zeroPoint)));
            case RELU_N1_TO_1 -> new IntRange(Math.max(qmin, quantizeForRange(-1f, scale, zeroPoint)),
                    Math.min(qmax, quantizeForRange(1f, scale, zeroPoint)));
            default -> new IntRange(qmin, qmax);
        };
    }

    private static int quantizeForRange(float f, float scale, int zeroPoint) {
        float q = Rounding.halfAwayFromZero(f / scale);
        return zeroPoint + (int) q;
    }

    /** TFLite's {@code CalculateActivationRange} for float kernels. */
    public static FloatRange activationRange(Activation activation) {
        return switch (activation) {
            case RELU -> new FloatRange(0f, Float.MAX_VALUE);
            case RELU6 -> new FloatRange(0f, 6f);
            case RELU_N1_TO_1 -> new FloatRange(-1f, 1f);
            default -> new FloatRange(-Float.MAX_VALUE, Float.MAX_VALUE);
        };
    }

    /** Clamps {@code v} into {@code [min, max]}. */
    public static int clamp(int v, int min, int max) {
        return v < min ? min : (v > max ? max : v);
    }

    /** TFLite's {@code ActivationFunctionWithMinMax} for floats: {@code min(max(v, min), max)}. */
    public static float clamp(float v, float min, float max) {
        return Math.min(Math.max(v, min), max);
    }
}
