/* Byte-moving ops (TRANSPOSE, STRIDED_SLICE, PAD, CONCATENATION; any element type): strided copies over shapes
 * padded to rank 5, with strides in bytes as the prepared kernels derived them. */
static inline void mote_strided_gather(const uint8_t *in, uint8_t *out, int elem, const int32_t *count,
                                const int32_t *in_stride) {
    int i0, i1, i2, i3, i4;
    for (i0 = 0; i0 < count[0]; ++i0) {
        for (i1 = 0; i1 < count[1]; ++i1) {
            for (i2 = 0; i2 < count[2]; ++i2) {
                for (i3 = 0; i3 < count[3]; ++i3) {
                    const uint8_t *src = in + (long)i0 * in_stride[0] + (long)i1 * in_stride[1]
                            + (long)i2 * in_stride[2] + (long)i3 * in_stride[3];
                    for (i4 = 0; i4 < count[4]; ++i4) {
                        memcpy(out, src + (long)i4 * in_stride[4], (size_t)elem);
                        out += elem;
                    }
                }
            }
        }
    }
}

static inline void mote_strided_scatter(const uint8_t *in, uint8_t *out, int elem, const int32_t *count,
                                 const int32_t *out_stride) {
    int i0, i1, i2, i3;
    const size_t row = (size_t)count[4] * (size_t)elem;
    for (i0 = 0; i0 < count[0]; ++i0) {
        for (i1 = 0; i1 < count[1]; ++i1) {
            for (i2 = 0; i2 < count[2]; ++i2) {
                for (i3 = 0; i3 < count[3]; ++i3) {
                    memcpy(out + (long)i0 * out_stride[0] + (long)i1 * out_stride[1] + (long)i2 * out_stride[2]
                            + (long)i3 * out_stride[3], in, row);
                    in += row;
                }
            }
        }
    }
}

static inline void mote_fill(uint8_t *out, long bytes, const uint8_t *value, int elem) {
    long p;
    for (p = 0; p + elem <= bytes; p += elem) {
        memcpy(out + p, value, (size_t)elem);
    }
}
