/* FULLY_CONNECTED int8 (TFLite's reference_integer_ops::FullyConnected): per-tensor weights, int32 bias. */
static void mote_fully_connected_s8(const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output,
                                    int batches, int output_depth, int accum_depth, int32_t input_offset,
                                    int32_t filter_offset, int32_t output_offset, int32_t multiplier, int shift,
                                    int32_t act_min, int32_t act_max) {
    int b, o, d;
    for (b = 0; b < batches; ++b) {
        const int8_t *in = input + b * accum_depth;
        for (o = 0; o < output_depth; ++o) {
            const int8_t *w = filter + o * accum_depth;
            int32_t acc = 0;
            for (d = 0; d < accum_depth; ++d) {
                acc = mote_wrap_add(acc, mote_wrap_mul((int32_t)w[d] + filter_offset, (int32_t)in[d] + input_offset));
            }
            if (bias) {
                acc = mote_wrap_add(acc, bias[o]);
            }
            acc = mote_mbqm(acc, multiplier, shift) + output_offset;
            output[b * output_depth + o] = (int8_t)mote_clamp(acc, act_min, act_max);
        }
    }
}
