/* DEQUANTIZE int8 -> float32 (TFLM's Dequantize: scale * (q - zero_point) in float), as a lookup of the prepared
 * table of the 256 results. */
static void mote_dequantize_s8_f32(const int8_t *input, float *output, int count, const float *table) {
    int i;
    for (i = 0; i < count; ++i) {
        output[i] = table[(uint8_t)input[i]];
    }
}
