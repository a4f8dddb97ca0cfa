/* SOFTMAX int8 -> int8/int16 (TFLite's reference_ops::Softmax, quantized): gemmlowp fixed point, no floats.
 * exp_row holds one row's exponentials (-1: below diff_min). Returns 1 where TFLM's TFLITE_CHECK stops. */
static int mote_softmax_s8(const int8_t *input, void *output, int16_t out_bits, int rows, int depth,
                           int32_t input_multiplier, int input_left_shift, int32_t diff_min, int32_t *exp_row) {
    const int32_t out_min = out_bits == 8 ? -128 : -32768;
    const int32_t out_max = out_bits == 8 ? 127 : 32767;
    int row, c;
    for (row = 0; row < rows; ++row) {
        const int8_t *in = input + row * depth;
        int32_t max = -128;
        int32_t sum_of_exps = 0;
        int exponent;
        int32_t shifted_scale;
        for (c = 0; c < depth; ++c) {
            max = in[c] > max ? in[c] : max;
        }
        for (c = 0; c < depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max;
            if (diff >= diff_min) {
                const int32_t scaled = mote_mbqm_greater_than_one(diff, input_multiplier, input_left_shift);
                const int32_t e = mote_exp_on_negative_values(scaled, 5);
                exp_row[c] = e;
                sum_of_exps = mote_wrap_add(sum_of_exps, mote_rescale(e, 0, 12));
            } else {
                exp_row[c] = -1;
            }
        }
        if (sum_of_exps <= 0) {
            return 1;
        }
        exponent = 12 - mote_clz32((uint32_t)sum_of_exps) + 31 - out_bits;
        if (exponent < 0 || exponent > 31) {
            return 1;
        }
        shifted_scale = mote_reciprocal(sum_of_exps);
        for (c = 0; c < depth; ++c) {
            int32_t value = out_min;
            if (exp_row[c] >= 0) {
                value = mote_clamp(mote_wrap_add(mote_rdbpot(mote_srdhm(shifted_scale, exp_row[c]), exponent),
                        out_min), out_min, out_max);
            }
            if (out_bits == 8) {
                ((int8_t *)output)[row * depth + c] = (int8_t)value;
            } else {
                ((int16_t *)output)[row * depth + c] = (int16_t)value;
            }
        }
    }
    return 0;
}
