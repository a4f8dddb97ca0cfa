package dev.mote.runtime.internal;

/**
 * gemmlowp's fixed-point arithmetic as TFLite's reference kernels (and so TFLM) use it for SOFTMAX, LOGISTIC, TANH
 * and HARD_SWISH, on raw {@code int} values.
 *
 * <p>A value in format Q<i>m</i> ("<i>m</i> integer bits") is a raw 32-bit integer {@code r} standing for
 * {@code r / 2^(31 - m)}, so Q0 covers [-1, 1) and Q5 covers [-32, 32). Every method says which formats it takes
 * and returns. Products use {@link QuantizedMath#saturatingRoundingDoublingHighMul} (integer bits add up), sums are
 * plain wrapping {@code int} additions, exactly as in gemmlowp. The 16-bit helpers at the end serve HARD_SWISH.
 *
 * <pre>{@code
 * int q5 = -(1 << 26);                                      // -1.0 in Q5.26
 * int e = FixedPointMath.expOnNegativeValues(q5, 5);        // ≈ exp(-1) in Q0.31
 * }</pre>
 */
public final class FixedPointMath {
    /** Q0.31 "one": the largest Q0 value (1.0 itself is not representable). */
    public static final int Q0_ONE = Integer.MAX_VALUE;

    private FixedPointMath() {
    }

    private static int mul(int a, int b) {
        return QuantizedMath.saturatingRoundingDoublingHighMul(a, b);
    }

    /** gemmlowp's {@code RoundingHalfSum}: {@code (a + b) / 2} rounded to nearest, halves away from zero. */
    public static int roundingHalfSum(int a, int b) {
        long sum = (long) a + (long) b;
        long sign = sum >= 0 ? 1 : -1;
        return (int) ((sum + sign) / 2);
    }

    /**
     * gemmlowp's {@code SaturatingRoundingMultiplyByPOT}: {@code x * 2^exponent}, saturating for a positive exponent
     * and rounding to nearest (as {@link QuantizedMath#roundingDivideByPOT}) for a negative one.
     */
    public static int saturatingRoundingMultiplyByPOT(int x, int exponent) {
        if (exponent == 0) {
            return x;
        }
        if (exponent < 0) {
            return QuantizedMath.roundingDivideByPOT(x, -exponent);
        }
        int threshold = (1 << (31 - exponent)) - 1;
        if (x > threshold) {
            return Integer.MAX_VALUE;
        }
        if (x < -threshold) {
            return Integer.MIN_VALUE;
        }
        return x << exponent;
    }

    /** gemmlowp's {@code Rescale}: the same real value moved from Q{@code srcBits} to Q{@code dstBits}. */
    public static int rescale(int raw, int srcIntegerBits, int dstIntegerBits) {
        return saturatingRoundingMultiplyByPOT(raw, srcIntegerBits - dstIntegerBits);
    }

    /** {@code exp(a)} for {@code a} in [-1/4, 0) (Q0 in, Q0 out): a 4th-order Taylor expansion around -1/8. */
    public static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
        final int constantTerm = 1895147668;   // exp(-1/8)
        final int constantOneThird = 715827883; // 1/3
        int x = a + (1 << 28);                 // a + 1/8
        int x2 = mul(x, x);
        int x3 = mul(x2, x);
        int x4 = mul(x2, x2);
        int x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
        int polynomial = saturatingRoundingMultiplyByPOT(mul(x4Over4 + x3, constantOneThird) + x2, -1);
        return constantTerm + mul(constantTerm, x + polynomial);
    }

    /** Barrel-shifter multipliers exp(-2^k) in Q0 for k = -2 .. 4. */
    private static final int[] EXP_BARREL_MULTIPLIERS = {1672461947, 1302514674, 790015084, 290630308, 39332535,
            720401, 242};

    /** {@code exp(a)} for {@code a <= 0} given in Q{@code integerBits}; the result is Q0 (exp(0) gives Q0 one). */
    public static int expOnNegativeValues(int a, int integerBits) {
        int fractionalBits = 31 - integerBits;
        int oneQuarter = 1 << (fractionalBits - 2);
        int mask = oneQuarter - 1;
        int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
        int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
        int remainder = aModQuarterMinusOneQuarter - a;
        for (int k = -2; k <= 4; k++) {
            if (integerBits > k) {
                int shiftAmount = fractionalBits + k;
                if ((remainder & (1 << shiftAmount)) != 0) {
                    result = mul(result, EXP_BARREL_MULTIPLIERS[k + 2]);
                }
            }
        }
        if (integerBits > 5) {
            int clamp = -(1 << (36 - integerBits)); // -32.0
            if (a < clamp) {
                result = 0;
            }
        }
        return a == 0 ? Q0_ONE : result;
    }

    /** Three Newton-Raphson steps for {@code 1 / (1 + a)} with {@code a} in [0, 1); returns the Q2 estimate. */
    private static int reciprocalOfOnePlusQ2(int a) {
        int halfDenominator = roundingHalfSum(a, Q0_ONE);               // Q0
        final int constant48Over17 = 1515870810;                        // Q2
        final int constantNeg32Over17 = -1010580540;                    // Q2
        final int q2One = 1 << 29;
        int x = constant48Over17 + mul(halfDenominator, constantNeg32Over17);
        for (int i = 0; i < 3; i++) {
            int halfDenominatorTimesX = mul(halfDenominator, x);        // Q2
            int oneMinus = q2One - halfDenominatorTimesX;               // Q2
            x = x + rescale(mul(x, oneMinus), 4, 2);                    // Q4 -> Q2
        }
        return x;
    }

    /** {@code 1 / (1 + a)} for {@code a} in [0, 1), Q0 in and out. */
    public static int oneOverOnePlusXForXIn01(int a) {
        // ExactMulByPot<-1> reinterprets the Q2 raw as Q1, then Rescale<0> shifts it left by one, saturating.
        return rescale(reciprocalOfOnePlusQ2(a), 1, 0);
    }

    /** {@code (1 - a) / (1 + a)} for {@code a} in [0, 1), Q0 in and out. */
    public static int oneMinusXOverOnePlusXForXIn01(int a) {
        return rescale(reciprocalOfOnePlusQ2(a) - (1 << 29), 2, 0);
    }

    /** gemmlowp's {@code logistic}: {@code 1 / (1 + exp(-a))}, {@code a} in Q{@code integerBits}, result Q0. */
    public static int logistic(int a, int integerBits) {
        if (a == 0) {
            return 1 << 30;
        }
        boolean positive = a > 0;
        int absInput = positive ? a : -a;
        int resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput, integerBits));
        return positive ? resultIfPositive : Q0_ONE - resultIfPositive;
    }

    /** gemmlowp's {@code tanh}, {@code a} in Q{@code integerBits}, result Q0. */
    public static int tanh(int a, int integerBits) {
        if (a == 0) {
            return 0;
        }
        boolean negative = a < 0;
        int n = negative ? a : -a;
        // ExactMulByPot<1>: the same raw read with one more integer bit, i.e. 2n.
        int t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
        return negative ? -t : t;
    }

    /**
     * TFLite's {@code GetReciprocal} for a positive {@code x} in Q{@code xIntegerDigits}: the Q0 raw of
     * {@code 2^k / x} where {@code k = xIntegerDigits - Integer.numberOfLeadingZeros(x)} (TFLite's
     * {@code num_bits_over_unit}, which the caller computes the same way).
     */
    public static int reciprocal(int x) {
        int headroomPlusOne = Integer.numberOfLeadingZeros(x);
        int shiftedSumMinusOne = (x << headroomPlusOne) - Integer.MIN_VALUE; // wraps like the uint32 arithmetic
        return oneOverOnePlusXForXIn01(shiftedSumMinusOne);
    }

    /** TFLite's {@code MultiplyByQuantizedMultiplierGreaterThanOne} (double-rounding build, as in TFLM). */
    public static int multiplyByQuantizedMultiplierGreaterThanOne(int x, int multiplier, int leftShift) {
        return QuantizedMath.saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier);
    }

    /**
     * TFLite's {@code PreprocessSoftmaxScaling}: the multiplier and left shift that turn an input difference into
     * Q{@code inputIntegerBits}, {@code beta * inputScale * 2^(31 - inputIntegerBits)} capped at 2^31 - 1. Fails
     * (as TFLite's {@code QuantizeMultiplierGreaterThanOne} check does) unless that real multiplier exceeds 1.
     */
    public static QuantizedMath.Multiplier preprocessSoftmaxScaling(double beta, double inputScale,
                                                                    int inputIntegerBits) {
        double real = Math.min(beta * inputScale * (1 << (31 - inputIntegerBits)), (double) ((1L << 31) - 1));
        if (!(real > 1.0)) {
            throw new IllegalArgumentException("beta * input scale * 2^" + (31 - inputIntegerBits) + " = " + real
                    + " must be > 1");
        }
        return QuantizedMath.quantizeMultiplier(real);
    }

    /** TFLite's {@code CalculateInputRadius}: the largest input difference whose rescaled value stays in range. */
    public static int calculateInputRadius(int inputIntegerBits, int inputLeftShift, int totalSignedBits) {
        // ((2^ib - 1) * 2^(bits - ib)) / 2^shift is exact in double, so scalb gives TFLite's value bit for bit
        // (and stays defined for a negative shift).
        double maxInputRescaled = ((1 << inputIntegerBits) - 1)
                * Math.scalb(1.0, totalSignedBits - inputIntegerBits - inputLeftShift);
        return (int) Math.floor(maxInputRescaled);
    }

    // ---- 16-bit helpers (HARD_SWISH) ----

    /** gemmlowp's 16-bit {@code SaturatingRoundingDoublingHighMul}. */
    public static short saturatingRoundingDoublingHighMul16(short a, short b) {
        if (a == Short.MIN_VALUE && b == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        int ab = a * b;
        int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
        return (short) ((ab + nudge) / (1 << 15));
    }

    /** TFLite's 16-bit {@code SaturatingDoublingHighMul}: like the rounding one but truncating toward zero. */
    public static short saturatingDoublingHighMul16(short a, short b) {
        if (a == Short.MIN_VALUE && b == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        return (short) ((a * b) / (1 << 15));
    }

    /** TFLite's 16-bit {@code SaturatingLeftShift}. */
    public static short saturatingLeftShift16(short value, int amount) {
        long result = (long) value * (1L << amount);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, result));
    }

    /** gemmlowp's {@code RoundingDivideByPOT} on a 16-bit value. */
    public static short roundingDivideByPOT16(short x, int exponent) {
        return (short) QuantizedMath.roundingDivideByPOT(x, exponent);
    }

    /** TFLite's {@code DownScaleInt32ToInt16Multiplier}: a Q31 multiplier rounded to Q15. */
    public static short downScaleInt32ToInt16Multiplier(int multiplier) {
        final int roundingOffset = 1 << 15;
        if (multiplier >= Integer.MAX_VALUE - roundingOffset) {
            return Short.MAX_VALUE;
        }
        return (short) ((multiplier + roundingOffset) >> 16);
    }
}
