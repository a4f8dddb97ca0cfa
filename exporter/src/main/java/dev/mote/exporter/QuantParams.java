package dev.mote.exporter;

import dev.mote.runtime.format.Quantization;

/** Per-tensor affine int8 parameters: {@code real = scale * (q - zeroPoint)}. */
record QuantParams(float scale, int zeroPoint) {
    /** SOFTMAX and LOGISTIC outputs: [0, 1) in 256 steps. */
    static final QuantParams UNIT_INTERVAL = new QuantParams(1f / 256f, -128);
    /** TANH outputs: [-1, 1) in 256 steps. */
    static final QuantParams SYMMETRIC_UNIT = new QuantParams(1f / 128f, 0);

    Quantization toQuantization() {
        return Quantization.perTensor(scale, zeroPoint);
    }
}
