package dev.mote.vocabulary;

/**
 * The one rounding rule of TFLite's quantizer and reference kernels: C's {@code round}/{@code std::round}, which
 * rounds halves away from zero. Java's {@link Math#round} rounds {@code -2.5} to {@code -2}; this gives {@code -3}.
 *
 * <pre>{@code
 * Rounding.halfAwayFromZero(-2.5)  // -3.0
 * Rounding.halfAwayFromZero(2.5f)  // 3.0f
 * }</pre>
 */
public final class Rounding {
    private Rounding() {
    }

    /** {@code round(x)} in double. */
    public static double halfAwayFromZero(double x) {
        return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
    }

    /** {@code roundf(x)}: computed in double, since {@code floor(x + 0.5f)} in float is wrong at 0.49999997f. */
    public static float halfAwayFromZero(float x) {
        return (float) halfAwayFromZero((double) x);
    }
}
