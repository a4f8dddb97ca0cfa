/* MEAN int8 (TFLite's reference QuantizedMeanOrSum as TFLM runs it): int32 sums of the raw values in input order,
 * minus input_zero_point * n, requantized with 1/n folded into the multiplier. Shapes padded to rank 5. */
static void mote_mean_s8(const int8_t *input, int8_t *output, const int32_t *shape, const int32_t *out_stride,
                         int out_count, int64_t zero_point_total, int32_t output_zero_point, int32_t multiplier,
                         int shift, int32_t *sums) {
    int i0, i1, i2, i3, i4, j;
    const int8_t *in = input;
    for (j = 0; j < out_count; ++j) {
        sums[j] = 0;
    }
    for (i0 = 0; i0 < shape[0]; ++i0) {
        for (i1 = 0; i1 < shape[1]; ++i1) {
            for (i2 = 0; i2 < shape[2]; ++i2) {
                for (i3 = 0; i3 < shape[3]; ++i3) {
                    const int o = i0 * out_stride[0] + i1 * out_stride[1] + i2 * out_stride[2] + i3 * out_stride[3];
                    for (i4 = 0; i4 < shape[4]; ++i4) {
                        sums[o + i4 * out_stride[4]] = mote_wrap_add(sums[o + i4 * out_stride[4]], *in++);
                    }
                }
            }
        }
    }
    for (j = 0; j < out_count; ++j) {
        const int32_t shifted = (int32_t)(uint32_t)((uint64_t)((int64_t)sums[j] - zero_point_total));
        output[j] = (int8_t)mote_clamp(mote_mbqm(shifted, multiplier, shift) + output_zero_point, -128, 127);
    }
}
