package dev.mote.runtime.testing;

import dev.mote.vocabulary.Rounding;

import dev.mote.runtime.internal.QuantizedMath;

/**
 * float32 → int8 QUANTIZE as TFLM and desktop TFLite 2.8 compute it: TFLM's reference {@code AffineQuantize}
 * divides in float ({@code roundf(x / (float) scale)}), desktop TFLite in double ({@code round(x / (double)
 * scale)}). They differ by 1 LSB exactly when the float quotient rounds onto (or across) a .5 boundary that the exact
 * quotient does not reach.
 */
public final class DesktopQuantize {
    private DesktopQuantize() {
    }

    /** Desktop TFLite's int8 value of {@code x}: double division. */
    public static int desktop(float x, float scale, int zeroPoint) {
        double q = Rounding.halfAwayFromZero((double) x / (double) scale) + zeroPoint;
        return (int) Math.max(-128, Math.min(127, q));
    }

    /** TFLM's (and Mote's) int8 value of {@code x}: float division. */
    public static int tflm(float x, float scale, int zeroPoint) {
        double q = Rounding.halfAwayFromZero(x / scale) + zeroPoint;
        return (int) Math.max(-128, Math.min(127, q));
    }
}
