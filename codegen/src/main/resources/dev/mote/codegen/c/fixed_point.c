/* gemmlowp's fixed-point functions as TFLite's reference kernels use them (mirrors Mote's FixedPointMath). */

static inline int32_t mote_srmbpot(int32_t x, int exponent) {
    int32_t threshold;
    if (exponent == 0) {
        return x;
    }
    if (exponent < 0) {
        return mote_rdbpot(x, -exponent);
    }
    threshold = (int32_t)((INT64_C(1) << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

static inline int32_t mote_rescale(int32_t raw, int src_integer_bits, int dst_integer_bits) {
    return mote_srmbpot(raw, src_integer_bits - dst_integer_bits);
}

static inline int32_t mote_rounding_half_sum(int32_t a, int32_t b) {
    const int64_t sum = (int64_t)a + (int64_t)b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

static inline int32_t mote_exp_quarter(int32_t a) {
    const int32_t constant_term = 1895147668;
    const int32_t constant_one_third = 715827883;
    const int32_t x = mote_wrap_add(a, 1 << 28);
    const int32_t x2 = mote_srdhm(x, x);
    const int32_t x3 = mote_srdhm(x2, x);
    const int32_t x4 = mote_srdhm(x2, x2);
    const int32_t x4_over_4 = mote_srmbpot(x4, -2);
    const int32_t polynomial = mote_srmbpot(
            mote_wrap_add(mote_srdhm(mote_wrap_add(x4_over_4, x3), constant_one_third), x2), -1);
    return mote_wrap_add(constant_term, mote_srdhm(constant_term, mote_wrap_add(x, polynomial)));
}

static inline int32_t mote_exp_on_negative_values(int32_t a, int integer_bits) {
    static const int32_t barrel[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t mask = one_quarter - 1;
    const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
    int32_t result = mote_exp_quarter(mote_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
    const int32_t remainder = mote_wrap_add(a_mod_quarter_minus_one_quarter, -a);
    int k;
    for (k = -2; k <= 4; ++k) {
        if (integer_bits > k) {
            const int shift_amount = fractional_bits + k;
            if (remainder & ((int32_t)1 << shift_amount)) {
                result = mote_srdhm(result, barrel[k + 2]);
            }
        }
    }
    if (integer_bits > 5) {
        const int32_t clamp = -((int32_t)1 << (36 - integer_bits));
        if (a < clamp) {
            result = 0;
        }
    }
    return a == 0 ? INT32_MAX : result;
}

static inline int32_t mote_reciprocal_of_one_plus_q2(int32_t a) {
    const int32_t half_denominator = mote_rounding_half_sum(a, INT32_MAX);
    const int32_t constant_48_over_17 = 1515870810;
    const int32_t constant_neg_32_over_17 = -1010580540;
    const int32_t q2_one = (int32_t)1 << 29;
    int32_t x = mote_wrap_add(constant_48_over_17, mote_srdhm(half_denominator, constant_neg_32_over_17));
    int i;
    for (i = 0; i < 3; ++i) {
        const int32_t half_denominator_times_x = mote_srdhm(half_denominator, x);
        const int32_t one_minus = mote_wrap_add(q2_one, -half_denominator_times_x);
        x = mote_wrap_add(x, mote_rescale(mote_srdhm(x, one_minus), 4, 2));
    }
    return x;
}

static inline int32_t mote_one_over_one_plus_x(int32_t a) {
    return mote_rescale(mote_reciprocal_of_one_plus_q2(a), 1, 0);
}

/* Number of leading zero bits of a positive int32. */
static inline int mote_clz32(uint32_t x) {
    int n = 0;
    while (n < 32 && !(x & UINT32_C(0x80000000))) {
        x <<= 1;
        ++n;
    }
    return n;
}

/* TFLite's GetReciprocal for a positive x (the Q0 raw of 2^k / x). */
static inline int32_t mote_reciprocal(int32_t x) {
    const int headroom_plus_one = mote_clz32((uint32_t)x);
    const int32_t shifted_minus_one = (int32_t)(((uint32_t)x << headroom_plus_one) - UINT32_C(0x80000000));
    return mote_one_over_one_plus_x(shifted_minus_one);
}

static inline int32_t mote_mbqm_greater_than_one(int32_t x, int32_t multiplier, int left_shift) {
    return mote_srdhm((int32_t)((uint32_t)x << left_shift), multiplier);
}
