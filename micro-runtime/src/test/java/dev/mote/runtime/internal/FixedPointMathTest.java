package dev.mote.runtime.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FixedPointMath} against double-precision math (gemmlowp's approximations are accurate to about 2e-7, a few hundred Q0.31
 * units; the kernels' bit-exactness is tested against TFLite elsewhere) and TFLite's parameter helpers on
 * hand-computed values.
 */
class FixedPointMathTest {
    private static final double Q31 = 0x1p31;

    @Test
    void expOnNegativeValuesMatchesExp() {
        double worst = 0;
        for (double x = -31.9; x <= 0; x += 0.0137) {
            int raw = (int) Math.round(x * 0x1p26); // Q5.26
            double got = FixedPointMath.expOnNegativeValues(raw, 5) / Q31;
            worst = Math.max(worst, Math.abs(got - Math.exp(raw / 0x1p26)));
        }
        assertTrue(worst < 1e-6, "largest error " + worst);
        assertEquals(FixedPointMath.Q0_ONE, FixedPointMath.expOnNegativeValues(0, 5));
    }

    @Test
    void logisticAndTanhMatchDoubleMath() {
        double worstLogistic = 0;
        double worstTanh = 0;
        for (double x = -15.9; x < 15.9; x += 0.0091) {
            int raw = (int) Math.round(x * 0x1p27); // Q4.27
            double real = raw / 0x1p27;
            worstLogistic = Math.max(worstLogistic,
                    Math.abs(FixedPointMath.logistic(raw, 4) / Q31 - 1 / (1 + Math.exp(-real))));
            worstTanh = Math.max(worstTanh, Math.abs(FixedPointMath.tanh(raw, 4) / Q31 - Math.tanh(real)));
        }
        assertTrue(worstLogistic < 1e-6, "logistic error " + worstLogistic);
        assertTrue(worstTanh < 1e-6, "tanh error " + worstTanh);
        assertEquals(1 << 30, FixedPointMath.logistic(0, 4));
        assertEquals(0, FixedPointMath.tanh(0, 4));
    }

    @Test
    void reciprocalsMatchDivision() {
        for (double a = 0; a < 1; a += 0.001) {
            int raw = (int) Math.round(a * Q31);
            assertEquals(1 / (1 + a), FixedPointMath.oneOverOnePlusXForXIn01(raw) / Q31, 1e-8);
            assertEquals((1 - a) / (1 + a), FixedPointMath.oneMinusXOverOnePlusXForXIn01(raw) / Q31, 1e-8);
        }
        // GetReciprocal of 3.0 in Q12.19: 2^k / 3 with k = 12 - clz = 1
        int three = 3 << 19;
        assertEquals(1, 12 - Integer.numberOfLeadingZeros(three));
        assertEquals(2.0 / 3.0, FixedPointMath.reciprocal(three) / Q31, 1e-8);
    }

    @Test
    void softmaxScalingAndInputRadius() {
        // beta 1, scale 1/16: 2^-4 * 2^26 = 2^22 -> multiplier 2^30 (0.5), shift 23
        QuantizedMath.Multiplier m = FixedPointMath.preprocessSoftmaxScaling(1.0, 1.0 / 16, 5);
        assertEquals(1 << 30, m.multiplier());
        assertEquals(23, m.shift());
        assertEquals(248, FixedPointMath.calculateInputRadius(5, 23, 31)); // floor(31 * 2^26 / 2^23)
        // capped at 2^31 - 1: shift 31, radius 0 (only the row maximum survives)
        QuantizedMath.Multiplier capped = FixedPointMath.preprocessSoftmaxScaling(1000.0, 10.0, 5);
        assertEquals(31, capped.shift());
        assertEquals(0, FixedPointMath.calculateInputRadius(5, 31, 31));
        assertThrows(IllegalArgumentException.class, () -> FixedPointMath.preprocessSoftmaxScaling(1e-9, 0.01, 5));
    }

    @Test
    void sixteenBitHelpers() {
        assertEquals(Short.MAX_VALUE, FixedPointMath.saturatingRoundingDoublingHighMul16(Short.MIN_VALUE,
                Short.MIN_VALUE));
        assertEquals(8192, FixedPointMath.saturatingRoundingDoublingHighMul16((short) 16384, (short) 16384));
        assertEquals(-1, FixedPointMath.saturatingRoundingDoublingHighMul16((short) -3, (short) 16384)); // -1.5: gemmlowp nudges negative products by 1 - 2^14, so it rounds to -1
    }
}
