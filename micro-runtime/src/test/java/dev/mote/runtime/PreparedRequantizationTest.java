package dev.mote.runtime;

import dev.mote.runtime.internal.QuantizedMath;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The branch-free, prepared-shift forms of {@code MultiplyByQuantizedMultiplier} (general and right-shift only,
 * used by the convolution fast paths) equal the two-step gemmlowp form for every multiplier
 * {@code QuantizeMultiplier} can produce: seeded random accumulators of every magnitude, every shift from -31 to 30,
 * and the edge values.
 */
class PreparedRequantizationTest {
    private static int prepared(int x, int multiplier, int shift) {
        return QuantizedMath.multiplyByQuantizedMultiplier(x, multiplier, QuantizedMath.leftShift(shift),
                QuantizedMath.roundingAddend(shift), QuantizedMath.negativeAdjust(shift),
                QuantizedMath.totalRightShift(shift));
    }

    @Test
    void equalsTheTwoStepFormOnSeededValues() {
        SplittableRandom r = new SplittableRandom(20261126L);
        for (int i = 0; i < 2_000_000; i++) {
            int x = switch (i % 4) {
                case 0 -> r.nextInt();
                case 1 -> r.nextInt(1 << (1 + r.nextInt(30))) - (1 << r.nextInt(30));
                case 2 -> r.nextInt(2001) - 1000;
                default -> (r.nextBoolean() ? 1 : -1) << r.nextInt(31);
            };
            int multiplier = i % 8 == 0 ? r.nextInt(Integer.MAX_VALUE) : (1 << 30) + r.nextInt(1 << 30);
            int shift = r.nextInt(62) - 31;
            int expected = QuantizedMath.multiplyByQuantizedMultiplier(x, multiplier, shift);
            assertEquals(expected, prepared(x, multiplier, shift), () -> "x " + x + ", multiplier " + multiplier
                    + ", shift " + shift);
            if (shift < 0) {
                assertEquals(expected, QuantizedMath.multiplyByQuantizedMultiplierRightShift(x, multiplier,
                        QuantizedMath.roundingAddend(shift), QuantizedMath.totalRightShift(shift)),
                        () -> "right-shift form, x " + x + ", multiplier " + multiplier + ", shift " + shift);
            }
        }
    }

    @Test
    void equalsTheTwoStepFormOnEdgeValues() {
        int[] xs = {0, 1, -1, 2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 1 << 30, -(1 << 30),
                (1 << 15) - 1, -(1 << 15), 12345, -12345};
        int[] multipliers = {0, 1, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1518500250,
                -1, -(1 << 30), Integer.MIN_VALUE + 1};
        for (int x : xs) {
            for (int m : multipliers) {
                for (int shift = -31; shift <= 31; shift++) {
                    int s = shift;
                    int expected = QuantizedMath.multiplyByQuantizedMultiplier(x, m, s);
                    assertEquals(expected, prepared(x, m, s), () -> "x " + x + ", multiplier " + m + ", shift " + s);
                    if (s < 0) {
                        assertEquals(expected, QuantizedMath.multiplyByQuantizedMultiplierRightShift(x, m,
                                QuantizedMath.roundingAddend(s), QuantizedMath.totalRightShift(s)),
                                () -> "right-shift form, x " + x + ", multiplier " + m + ", shift " + s);
                    }
                }
            }
        }
    }

    @Test
    void exactHalvesRoundAwayFromZeroAfterTheHighMultiply() {
        // multiplier 2^30 halves: x * 2^30 * 2 / 2^32 = x / 2, then a right shift of 1 divides by 2 again
        for (int x = -64; x <= 64; x++) {
            int two = QuantizedMath.multiplyByQuantizedMultiplier(x, 1 << 30, -1);
            assertEquals(two, prepared(x, 1 << 30, -1), "x " + x);
            assertEquals(two, QuantizedMath.multiplyByQuantizedMultiplierRightShift(x, 1 << 30,
                    QuantizedMath.roundingAddend(-1), QuantizedMath.totalRightShift(-1)), "x " + x);
        }
    }
}
