package dev.mote.runtime.testing;

import dev.mote.runtime.internal.QuantizedMath;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The known difference of desktop TFLite's optimized int8 FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D: both
 * requantize an accumulator (bias included) with {@code RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc <<
 * left, multiplier), right)}, but TFLM's reference kernels (and Mote) round an exact half of that final shift away
 * from zero while desktop TFLite (ruy) rounds it half up. So where the high product is negative and its dropped bits
 * are exactly one half, desktop TFLite is one larger before clamping. The final shift is written out here in long
 * arithmetic, independently of both interpreters and of gemmlowp's bit tricks.
 */
public final class NegativeHalfTie {
    private NegativeHalfTie() {
    }

    /** TFLM's requantization of an accumulator (bias included), plus the zero point, clamped. */
    public static int requantizeTflm(int acc, int multiplier, int shift, int zeroPoint, int min, int max) {
        int high = highProduct(acc, multiplier, shift);
        int right = Math.max(-shift, 0);
        int scaled = right == 0 ? high : roundHalfAwayFromZeroShift(high, right);
        return Math.max(min, Math.min(max, scaled + zeroPoint));
    }

    /** Desktop TFLite's (ruy's) requantization: the same, except that the final shift rounds half up. */
    public static int requantizeHalfUp(int acc, int multiplier, int shift, int zeroPoint, int min, int max) {
        int high = highProduct(acc, multiplier, shift);
        int right = Math.max(-shift, 0);
        int scaled = right == 0 ? high : (int) (((long) high + (1L << (right - 1))) >> right);
        return Math.max(min, Math.min(max, scaled + zeroPoint));
    }

    /** True if the final shift of {@code acc} drops exactly one half of a negative value. */
    public static boolean isTie(int acc, int multiplier, int shift) {
        int high = highProduct(acc, multiplier, shift);
        int right = Math.max(-shift, 0);
        if (right == 0 || high >= 0) {
            return false;
        }
        long mask = (1L << right) - 1;
        return (high & mask) == (1L << (right - 1));
    }

    /**
     * True if a difference between Mote's output {@code mote} and desktop TFLite's {@code tflite} for this
     * accumulator is the tie: the final shift drops an exact negative half, Mote equals TFLM's rounding and TFLite
     * the half-up rounding.
     */
    public static boolean explains(int acc, int multiplier, int shift, int zeroPoint, int min, int max, int mote,
                                   int tflite) {
        return isTie(acc, multiplier, shift)
                && requantizeTflm(acc, multiplier, shift, zeroPoint, min, max) == mote
                && requantizeHalfUp(acc, multiplier, shift, zeroPoint, min, max) == tflite;
    }

    private static int highProduct(int acc, int multiplier, int shift) {
        int left = Math.max(shift, 0);
        return QuantizedMath.saturatingRoundingDoublingHighMul(acc * (1 << left), multiplier);
    }

    /** {@code x / 2^n} rounded half away from zero. */
    private static int roundHalfAwayFromZeroShift(int x, int n) {
        long half = 1L << (n - 1);
        long magnitude = Math.abs((long) x);
        long q = (magnitude + half) >> n;
        return (int) (x < 0 ? -q : q);
    }

    /**
     * Checks outputs one by one against the recomputed accumulator and counts what the oracle tests report: every
     * Mote output must equal TFLM's requantization; every output where desktop TFLite differs must be a proven tie.
     */
    public static final class Tally {
        private long outputs;
        private long unclamped;
        private int roundingMatters;
        private int ties;

        /**
         * Checks one output; returns true if Mote and desktop TFLite differ there (a proven tie).
         *
         * @param where describes the output for failure messages
         */
        public boolean check(int acc, int multiplier, int shift, int zeroPoint, int min, int max, int mote,
                             int tflite, Supplier<String> where) {
            int expected = requantizeTflm(acc, multiplier, shift, zeroPoint, min, max);
            assertEquals(expected, mote, () -> "Mote vs TFLM arithmetic at " + where.get());
            outputs++;
            unclamped += expected > min && expected < max ? 1 : 0;
            int halfUp = requantizeHalfUp(acc, multiplier, shift, zeroPoint, min, max);
            if (expected != halfUp) {
                roundingMatters++;
            }
            if (mote == tflite) {
                return false;
            }
            if (!isTie(acc, multiplier, shift) || halfUp != tflite) {
                fail("Mote " + mote + " vs TFLite " + tflite + " (acc " + acc + ") is not a negative-half tie, "
                        + where.get());
            }
            ties++;
            return true;
        }

        /**
         * Asserts that more than a third of the checked outputs lie strictly inside the clamping range, so the
         * comparison exercised the rounding arithmetic rather than mostly saturated outputs.
         */
        public void assertExercisesRounding() {
            assertTrue(unclamped > outputs / 3, "a third of the outputs exercise rounding, not clamping: "
                    + unclamped);
        }

        /** Outputs checked. */
        public long outputs() {
            return outputs;
        }

        /** Outputs strictly inside the clamping range. */
        public long unclamped() {
            return unclamped;
        }

        /** Outputs whose two roundings give different results (each an exact negative half). */
        public int roundingMatters() {
            return roundingMatters;
        }

        /** Outputs where desktop TFLite differed from Mote, each a proven tie. */
        public int ties() {
            return ties;
        }
    }
}
