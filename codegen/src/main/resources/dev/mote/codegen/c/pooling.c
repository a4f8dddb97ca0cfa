/* MAX_POOL_2D and AVERAGE_POOL_2D int8 (TFLite's reference_integer_ops::MaxPool / AveragePool), NHWC; the window
 * is clipped to the image, and the average divides by the clipped count, rounding half away from zero. */
static void mote_pool_s8(int average, const int8_t *input, int8_t *output, int batches, int in_h, int in_w,
                         int depth, int out_h, int out_w, int f_h, int f_w, int stride_h, int stride_w, int pad_h,
                         int pad_w, int32_t act_min, int32_t act_max) {
    int b, oy, ox, c, fy, fx;
    for (b = 0; b < batches; ++b) {
        for (oy = 0; oy < out_h; ++oy) {
            const int iy0 = oy * stride_h - pad_h;
            const int fy0 = iy0 < 0 ? -iy0 : 0;
            const int fy1 = mote_min(f_h, in_h - iy0);
            for (ox = 0; ox < out_w; ++ox) {
                const int ix0 = ox * stride_w - pad_w;
                const int fx0 = ix0 < 0 ? -ix0 : 0;
                const int fx1 = mote_min(f_w, in_w - ix0);
                const int32_t count = (fy1 - fy0) * (fx1 - fx0);
                int8_t *out = output + ((b * out_h + oy) * out_w + ox) * depth;
                for (c = 0; c < depth; ++c) {
                    int32_t acc = average ? 0 : -128;
                    for (fy = fy0; fy < fy1; ++fy) {
                        const int8_t *row = input + ((b * in_h + iy0 + fy) * in_w) * depth + c;
                        for (fx = fx0; fx < fx1; ++fx) {
                            const int32_t v = row[(ix0 + fx) * depth];
                            if (average) {
                                acc += v;
                            } else if (v > acc) {
                                acc = v;
                            }
                        }
                    }
                    if (average) {
                        acc = count <= 0 ? 0 : acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    }
                    out[c] = (int8_t)mote_clamp(acc, act_min, act_max);
                }
            }
        }
    }
}
