/* MUL int8 (TFLite's reference_integer_ops::Mul / BroadcastMul6DSlow). */
static void mote_mul_s8(const int8_t *in1, const int8_t *in2, int8_t *out, const int32_t *dims,
                        const int32_t *s1, const int32_t *s2, int32_t off1, int32_t off2, int32_t off_out,
                        int32_t multiplier, int shift, int32_t act_min, int32_t act_max) {
    int32_t i0, i1, i2, i3, i4, i5;
    int32_t o = 0;
    for (i0 = 0; i0 < dims[0]; ++i0)
    for (i1 = 0; i1 < dims[1]; ++i1)
    for (i2 = 0; i2 < dims[2]; ++i2)
    for (i3 = 0; i3 < dims[3]; ++i3)
    for (i4 = 0; i4 < dims[4]; ++i4)
    for (i5 = 0; i5 < dims[5]; ++i5) {
        const int32_t a = i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3] + i4 * s1[4] + i5 * s1[5];
        const int32_t b = i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3] + i4 * s2[4] + i5 * s2[5];
        const int32_t p = mote_wrap_mul((int32_t)in1[a] + off1, (int32_t)in2[b] + off2);
        const int32_t v = mote_wrap_add(off_out, mote_mbqm(p, multiplier, shift));
        out[o++] = (int8_t)mote_clamp(v, act_min, act_max);
    }
}
