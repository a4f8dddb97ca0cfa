package dev.mote.runtime.internal.kernels;

/**
 * The C library's single-precision {@code expf} and {@code tanhf} as TFLM's float kernels call them
 * ({@code std::exp}, {@code std::tanh} on a float), bit for bit, in Java's strict IEEE float and double arithmetic.
 *
 * <ul>
 * <li>{@link #tanhf}: fdlibm's {@code s_tanhf.c} over {@code s_expm1f.c} (Sun, float conversion by Ian Lance
 * Taylor), computed in float. glibc (the x86-64 build) and newlib (the Cortex-M build) both use this code, and both
 * TFLM builds give the same bits.</li>
 * <li>{@link #expf}: glibc's {@code sysdeps/ieee754/flt-32/e_expf.c} (ARM optimized-routines: 32-entry table of
 * 2^(i/32), cubic polynomial in double, one final rounding to float), in the form glibc's x86-64 {@code expf}
 * dispatches to on CPUs with FMA ({@code e_expf-fma.c}: the compiler contracts the polynomial's multiply-adds).
 * This is the x86-64 TFLM build's {@code expf}. The Cortex-M3 build links newlib's fdlibm-based float
 * {@code expf}, which differs in the last bit for some inputs: there TFLM's two builds disagree with each other.</li>
 * </ul>
 */
final class LibmFloat {
    private static final int TABLE_BITS = 5;
    private static final int N = 1 << TABLE_BITS;
    private static final long[] T = {
        0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
        0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
        0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
        0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
        0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
        0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
        0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
        0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L,
    };
    private static final double SHIFT = 0x1.8p+52;
    private static final double INV_LN2_N = 0x1.71547652b82fep+0 * N;
    private static final double C0 = 0x1.c6af84b912394p-5 / N / N / N;
    private static final double C1 = 0x1.ebfce50fac4f3p-3 / N / N;
    private static final double C2 = 0x1.62e42ff0c52d6p-1 / N;

    private LibmFloat() {
    }

    private static int top12(float x) {
        return Float.floatToRawIntBits(x) >>> 20;
    }

    /** glibc's {@code expf} (FMA variant). */
    static float expf(float x) {
        double xd = x;
        int abstop = top12(x) & 0x7ff;
        if (abstop >= top12(88.0f)) {
            if (Float.floatToRawIntBits(x) == Float.floatToRawIntBits(Float.NEGATIVE_INFINITY)) {
                return 0.0f;
            }
            if (abstop >= top12(Float.POSITIVE_INFINITY)) {
                return x + x;
            }
            if (x > 0x1.62e42ep6f) {
                return Float.POSITIVE_INFINITY;
            }
            if (x < -0x1.9fe368p6f) {
                return 0.0f;
            }
        }
        double z = INV_LN2_N * xd;
        double kd = Math.fma(INV_LN2_N, xd, SHIFT);
        long ki = Double.doubleToRawLongBits(kd);
        kd -= SHIFT;
        double r = Math.fma(INV_LN2_N, xd, -kd);
        long t = T[(int) (ki & (N - 1))];
        t += ki << (52 - TABLE_BITS);
        double s = Double.longBitsToDouble(t);
        double p = Math.fma(C0, r, C1);
        double r2 = r * r;
        double y = Math.fma(C2, r, 1.0);
        y = Math.fma(p, r2, y);
        y = y * s;
        return (float) y;
    }

    private static final float LN2_HI = 6.9313812256e-01f;
    private static final float LN2_LO = 9.0580006145e-06f;
    private static final float INV_LN2 = 1.4426950216e+00f;
    private static final float Q1 = -3.3333335072e-02f;
    private static final float Q2 = 1.5873016091e-03f;
    private static final float Q3 = -7.9365076090e-05f;
    private static final float Q4 = 4.0082177293e-06f;
    private static final float Q5 = -2.0109921195e-07f;
    private static final float HUGE = 1.0e+30f;
    private static final float TINY = 1.0e-30f;

    /** fdlibm's {@code expm1f}, in float. */
    static float expm1f(float x) {
        int hx = Float.floatToRawIntBits(x);
        boolean negative = hx < 0;
        float y;
        hx &= 0x7fffffff;
        if (hx >= 0x4195b844) { // |x| >= 27 ln2
            if (hx > 0x7f800000) {
                return x + x;
            }
            if (hx == 0x7f800000) {
                return negative ? -1.0f : x;
            }
            if (!negative && hx > 0x42b17217) {
                return HUGE * HUGE;
            }
            if (negative) {
                return TINY - 1.0f;
            }
        }
        float hi;
        float lo;
        float c = 0;
        int k;
        if (hx > 0x3eb17218) { // |x| > 0.5 ln2
            if (hx < 0x3F851592) { // and |x| < 1.5 ln2
                if (!negative) {
                    hi = x - LN2_HI;
                    lo = LN2_LO;
                    k = 1;
                } else {
                    hi = x + LN2_HI;
                    lo = -LN2_LO;
                    k = -1;
                }
            } else {
                k = (int) (INV_LN2 * x + (!negative ? 0.5f : -0.5f));
                float t = k;
                hi = x - t * LN2_HI;
                lo = t * LN2_LO;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        } else if (hx < 0x33000000) { // |x| < 2^-25
            float t = HUGE + x;
            return x - (t - (HUGE + x));
        } else {
            k = 0;
        }
        float hfx = 0.5f * x;
        float hxs = x * hfx;
        float r1 = 1.0f + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        float t = 3.0f - r1 * hfx;
        float e = hxs * ((r1 - t) / (6.0f - x * t));
        if (k == 0) {
            return x - (x * e - hxs);
        }
        e = (x * (e - c) - c);
        e -= hxs;
        if (k == -1) {
            return 0.5f * (x - e) - 0.5f;
        }
        if (k == 1) {
            return x < -0.25f ? -2.0f * (e - (x + 0.5f)) : 1.0f + 2.0f * (x - e);
        }
        if (k <= -2 || k > 56) {
            y = 1.0f - (e - x);
            return Float.intBitsToFloat(Float.floatToRawIntBits(y) + (k << 23)) - 1.0f;
        }
        if (k < 23) {
            t = Float.intBitsToFloat(0x3f800000 - (0x1000000 >> k));
            y = t - (e - x);
        } else {
            t = Float.intBitsToFloat((0x7f - k) << 23);
            y = x - (e + t);
            y += 1.0f;
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) + (k << 23));
    }

    /** fdlibm's {@code tanhf}, in float. */
    static float tanhf(float x) {
        int jx = Float.floatToRawIntBits(x);
        int ix = jx & 0x7fffffff;
        if (ix >= 0x7f800000) {
            return jx >= 0 ? 1.0f / x + 1.0f : 1.0f / x - 1.0f;
        }
        float z;
        if (ix < 0x41b00000) { // |x| < 22
            if (ix < 0x24000000) { // |x| < 2^-55
                return x * (1.0f + x);
            }
            if (ix >= 0x3f800000) { // |x| >= 1
                float t = expm1f(2.0f * Math.abs(x));
                z = 1.0f - 2.0f / (t + 2.0f);
            } else {
                float t = expm1f(-2.0f * Math.abs(x));
                z = -t / (t + 2.0f);
            }
        } else {
            z = 1.0f - TINY;
        }
        return jx >= 0 ? z : -z;
    }
}
