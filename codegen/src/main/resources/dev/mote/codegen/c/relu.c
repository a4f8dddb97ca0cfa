/* One-input int8 activations (RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH): an int8 output depends only on
 * its int8 input, so the prepared kernel's 256-entry table of TFLM's integer results is looked up. In place is
 * allowed (each element is read before it is written). */
static void mote_lookup_s8(const int8_t *input, int8_t *output, int count, const int8_t *table) {
    int i;
    for (i = 0; i < count; ++i) {
        output[i] = table[(uint8_t)input[i]];
    }
}
