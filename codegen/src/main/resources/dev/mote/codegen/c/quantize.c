/* QUANTIZE float32 -> int8 (TFLM's AffineQuantize: roundf(x / scale) + zero_point, clamped); int8 -> int8 is a
 * lookup of the prepared table (mote_lookup_s8). roundf without <math.h>: exact for every float. */
static float mote_roundf(float x) {
    const float ax = x < 0 ? -x : x;
    float f;
    if (!(ax < 8388608.0f)) {
        return x; /* already an integer, or NaN or infinity */
    }
    f = (float)(int32_t)ax;
    if (ax - f >= 0.5f) {
        f += 1.0f;
    }
    return x < 0 ? -f : f;
}

static void mote_quantize_f32_s8(const float *input, int8_t *output, int count, float scale, int32_t zero_point) {
    int i;
    for (i = 0; i < count; ++i) {
        const float r = mote_roundf(input[i] / scale);
        int64_t q;
        if (r != r) {
            q = 0;
        } else if (r >= 2147483648.0f) {
            q = INT32_MAX;
        } else if (r <= -2147483648.0f) {
            q = INT32_MIN;
        } else {
            q = (int32_t)r;
        }
        q += zero_point;
        output[i] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
    }
}
