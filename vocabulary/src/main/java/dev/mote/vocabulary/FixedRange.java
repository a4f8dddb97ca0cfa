package dev.mote.vocabulary;

/**
 * The output ranges TFLite fixes instead of learning them: every quantized SOFTMAX, LOGISTIC and TANH kernel
 * requires these parameters on its output.
 *
 * <pre>{@code
 * QuantParams p = FixedRange.UNIT_INTERVAL.int8();   // scale 1/256, zero point -128
 * QuantParams q = FixedRange.UNIT_INTERVAL.int16();  // scale 1/32768, zero point 0 (16x8 mode)
 * }</pre>
 *
 * <p>In 16x8 mode every one of them is scale 1/32768, zero point 0: the converter's
 * {@code restricted_value_int16} of SOFTMAX, LOGISTIC and TANH ({@code lite/tools/optimize/operator_property.cc}),
 * which TFLM's int16 kernels require.
 */
public enum FixedRange {
    /** SOFTMAX and LOGISTIC: [0, 1); int8 scale 1/256, zero point -128. */
    UNIT_INTERVAL(new QuantParams(1f / 256f, -128)),
    /** TANH: [-1, 1); int8 scale 1/128, zero point 0. */
    SYMMETRIC_UNIT(new QuantParams(1f / 128f, 0));

    private static final QuantParams INT16 = new QuantParams(1f / 32768f, 0);

    private final QuantParams int8;

    FixedRange(QuantParams int8) {
        this.int8 = int8;
    }

    /** The int16 parameters of 16x8 mode: scale 1/32768, zero point 0. */
    public QuantParams int16() {
        return INT16;
    }

    /** The parameters in activations of {@code type} (INT8 or INT16). */
    public QuantParams params(TensorType type) {
        return switch (type) {
            case INT8 -> int8;
            case INT16 -> INT16;
            default -> throw new IllegalArgumentException("fixed ranges are INT8 or INT16, not " + type);
        };
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
