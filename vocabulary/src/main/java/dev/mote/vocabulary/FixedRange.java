package dev.mote.vocabulary;

/**
 * The output ranges TFLite fixes instead of learning them: every quantized SOFTMAX, LOGISTIC and TANH kernel
 * requires these parameters on its output.
 *
 * <pre>{@code
 * QuantParams p = FixedRange.UNIT_INTERVAL.int8();   // scale 1/256, zero point -128
 * }</pre>
 */
public enum FixedRange {
    /** SOFTMAX and LOGISTIC: [0, 1); int8 scale 1/256, zero point -128. */
    UNIT_INTERVAL(new QuantParams(1f / 256f, -128)),
    /** TANH: [-1, 1); int8 scale 1/128, zero point 0. */
    SYMMETRIC_UNIT(new QuantParams(1f / 128f, 0));

    private final QuantParams int8;

    FixedRange(QuantParams int8) {
        this.int8 = int8;
    }

    /** The int8 parameters. */
    public QuantParams int8() {
        return int8;
    }

    /** The smallest and largest real value the int8 parameters represent. */
    public float int8Min() {
        return int8.dequantize(-128);
    }

    /** The largest real value of the int8 parameters. */
    public float int8Max() {
        return int8.dequantize(127);
    }
}
