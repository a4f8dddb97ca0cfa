package dev.mote.runtime.internal.kernels;

/**
 * TFLM's int16 lookup tables ({@code kernels/internal/common.h}): {@code LUTPopulate<int16_t>} with float
 * arithmetic (513 entries: 512 steps over the input range and the end point, each entry corrected by half the
 * rounding error of the linear interpolation at the step's midpoint) and the interpolating {@code LUTLookup}.
 */
final class Int16Lut {
    static final int ENTRIES = 513;

    /** A float function, as TFLM's {@code float (*)(float)} transform. */
    interface FloatFunction {
        float apply(float value);
    }

    private Int16Lut() {
    }

    /** {@code LUTPopulateInt16<float>}: every operation in float, in TFLM's order. */
    static short[] populate(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint,
                            FloatFunction f) {
        float inputMin = inputScale * (Short.MIN_VALUE - inputZeroPoint);
        float inputMax = inputScale * (Short.MAX_VALUE - inputZeroPoint);
        float outputMin = outputScale * (Short.MIN_VALUE - outputZeroPoint);
        float outputMax = outputScale * (Short.MAX_VALUE - outputZeroPoint);
        int steps = ENTRIES - 1;
        float step = (inputMax - inputMin) / steps;
        float halfStep = step / 2;
        float scalingInv = (float) (Short.MAX_VALUE - Short.MIN_VALUE + 1) / (outputMax - outputMin);
        short[] lut = new short[ENTRIES];
        for (int i = 0; i < steps; i++) {
            float val = f.apply(inputMin + i * step);
            float midpoint = f.apply(inputMin + i * step + halfStep);
            float next = f.apply(inputMin + (i + 1) * step);
            float sample = round(val * scalingInv);
            float midpointInterpolated = round((next * scalingInv + round(val * scalingInv)) / 2);
            float midpointValue = round(midpoint * scalingInv);
            float error = midpointInterpolated - midpointValue;
            float bias = round(error / 2);
            lut[i] = (short) Math.min(Math.max(sample - bias, (float) Short.MIN_VALUE), (float) Short.MAX_VALUE);
        }
        lut[steps] = (short) Math.min(Math.max(round(f.apply(inputMax) * scalingInv), (float) Short.MIN_VALUE),
                (float) Short.MAX_VALUE);
        return lut;
    }

    /** C's {@code roundf}: half away from zero. */
    static float round(float x) {
        if (!(Math.abs(x) < 0x1p23f)) {
            return x; // already an integer (or NaN / infinite)
        }
        double r = Math.floor(Math.abs((double) x) + 0.5);
        return (float) Math.copySign(r, x);
    }

    /** {@code LUTLookup(int16_t, const int16_t*)}: the top 9 bits index, the low 7 interpolate. */
    static int lookup(short value, short[] lut) {
        int index = 256 + (value >> 7);
        int offset = value & 0x7f;
        int base = lut[index];
        int slope = lut[index + 1] - lut[index];
        int delta = (slope * offset + 64) >> 7;
        return (short) (base + delta);
    }
}
