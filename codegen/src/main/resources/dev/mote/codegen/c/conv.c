/* CONV_2D int8, per-channel (TFLite's reference_integer_ops::ConvPerChannel), NHWC, grouped filters allowed. */
static void mote_conv_s8(const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output,
                         int batches, int in_h, int in_w, int in_c, int out_h, int out_w, int out_c,
                         int f_h, int f_w, int f_c, int stride_h, int stride_w, int dil_h, int dil_w,
                         int pad_h, int pad_w, int32_t in_off, int32_t out_off, const int32_t *multipliers,
                         const int32_t *shifts, int32_t act_min, int32_t act_max) {
    const int per_group = out_c / (in_c / f_c);
    int b, oy, ox, oc, fy, fx, ic;
    for (b = 0; b < batches; ++b) {
        for (oy = 0; oy < out_h; ++oy) {
            for (ox = 0; ox < out_w; ++ox) {
                int8_t *out = output + ((b * out_h + oy) * out_w + ox) * out_c;
                for (oc = 0; oc < out_c; ++oc) {
                    const int group_base = (oc / per_group) * f_c;
                    int32_t acc = 0;
                    for (fy = 0; fy < f_h; ++fy) {
                        const int iy = oy * stride_h - pad_h + dil_h * fy;
                        if (iy < 0 || iy >= in_h) {
                            continue;
                        }
                        for (fx = 0; fx < f_w; ++fx) {
                            const int ix = ox * stride_w - pad_w + dil_w * fx;
                            const int8_t *ip;
                            const int8_t *wp;
                            if (ix < 0 || ix >= in_w) {
                                continue;
                            }
                            ip = input + ((b * in_h + iy) * in_w + ix) * in_c + group_base;
                            wp = filter + ((oc * f_h + fy) * f_w + fx) * f_c;
                            for (ic = 0; ic < f_c; ++ic) {
                                acc = mote_wrap_add(acc, (int32_t)wp[ic] * ((int32_t)ip[ic] + in_off));
                            }
                        }
                    }
                    if (bias) {
                        acc = mote_wrap_add(acc, bias[oc]);
                    }
                    acc = mote_mbqm(acc, multipliers[oc], (int)shifts[oc]) + out_off;
                    out[oc] = (int8_t)mote_clamp(acc, act_min, act_max);
                }
            }
        }
    }
}
