/* The integer arithmetic of TFLite's reference kernels (as TFLM compiles them: double rounding). Wrapping int32
 * arithmetic is done in uint32_t so that it is defined C; right shifts of negative values are arithmetic on every
 * compiler this code targets (gcc, clang, arm-none-eabi-gcc). */

static inline int32_t mote_wrap_add(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static inline int32_t mote_wrap_mul(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a * (uint32_t)b);
}

static inline int32_t mote_min(int32_t a, int32_t b) {
    return a < b ? a : b;
}

static inline int32_t mote_max(int32_t a, int32_t b) {
    return a > b ? a : b;
}

static inline int32_t mote_clamp(int32_t v, int32_t lo, int32_t hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

/* gemmlowp's SaturatingRoundingDoublingHighMul; the division by 2^31 (toward zero) as a shift. */
static inline int32_t mote_srdhm(int32_t a, int32_t b) {
    int64_t ab;
    int64_t v;
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    v = ab + (ab >= 0 ? (INT64_C(1) << 30) : (1 - (INT64_C(1) << 30)));
    if (v < 0) {
        v += (INT64_C(1) << 31) - 1;
    }
    return (int32_t)(v >> 31);
}

/* gemmlowp's RoundingDivideByPOT: x / 2^exponent, rounding half away from zero. */
static inline int32_t mote_rdbpot(int32_t x, int exponent) {
    const int32_t mask = (int32_t)((INT64_C(1) << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLite's MultiplyByQuantizedMultiplier: x * multiplier * 2^(shift - 31), double rounding. */
static inline int32_t mote_mbqm(int32_t x, int32_t multiplier, int shift) {
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    return mote_rdbpot(mote_srdhm((int32_t)((uint32_t)x << left), multiplier), right);
}
