package dev.mote.cli;

import dev.mote.runtime.MicroTensor;
import dev.mote.vocabulary.TensorType;

import java.util.Locale;

/**
 * The values {@code mote run --input} may write into one input tensor, so that nothing is silently clamped or
 * turned into garbage: finite values for FLOAT32 (within float's range); for a quantized INT8, UINT8 or INT16
 * input the real values from {@code (qmin - zero point) * scale} to {@code (qmax - zero point) * scale}, with half a
 * step beyond each end allowed (it rounds to that end); for an unquantized INT8, UINT8, INT16 or INT32 input whole
 * numbers in the type's range, written as they are.
 *
 * <pre>{@code
 * InputRange range = InputRange.of(tensor, "input 0 'x'");
 * range.check(0, "1e30", 1e30);   // UsageException: element 0 of input 0 'x' is 1e30, outside what it can hold; ...
 * }</pre>
 */
final class InputRange {
    private final String label;
    private final TensorType type;
    private final boolean quantized;
    private final double min;
    private final double max;
    private final double slack;
    private final String allowed;

    private InputRange(String label, TensorType type, boolean quantized, double min, double max, double slack,
                       String allowed) {
        this.label = label;
        this.type = type;
        this.quantized = quantized;
        this.min = min;
        this.max = max;
        this.slack = slack;
        this.allowed = allowed;
    }

    /**
     * The range of {@code t}, named {@code label} in messages.
     *
     * @throws UsageException if {@code --input} cannot fill a tensor of this type (BOOL, INT64, a quantized INT32,
     *                        ...): the message points to {@code --input-raw}
     */
    static InputRange of(MicroTensor t, String label) {
        TensorType type = t.type();
        if (type == TensorType.FLOAT32) {
            return new InputRange(label, type, false, -Float.MAX_VALUE, Float.MAX_VALUE, 0,
                    "FLOAT32 takes finite values from " + -Float.MAX_VALUE + " to " + Float.MAX_VALUE);
        }
        long qmin;
        long qmax;
        switch (type) {
            case INT8 -> {
                qmin = Byte.MIN_VALUE;
                qmax = Byte.MAX_VALUE;
            }
            case UINT8 -> {
                qmin = 0;
                qmax = 255;
            }
            case INT16 -> {
                qmin = Short.MIN_VALUE;
                qmax = Short.MAX_VALUE;
            }
            case INT32 -> {
                qmin = Integer.MIN_VALUE;
                qmax = Integer.MAX_VALUE;
            }
            default -> throw new UsageException("--input cannot fill " + label + ", which is " + type
                    + "; use --input-raw for it");
        }
        if (!t.quantization().isQuantized()) {
            return new InputRange(label, type, false, qmin, qmax, 0,
                    type + " without quantization takes whole numbers from " + qmin + " to " + qmax);
        }
        if (type == TensorType.INT32) {
            throw new UsageException("--input cannot fill " + label + ", which is a quantized INT32; use --input-raw "
                    + "for it");
        }
        double scale = t.scale();
        long zp = t.zeroPoint();
        double lo = (qmin - zp) * scale;
        double hi = (qmax - zp) * scale;
        return new InputRange(label, type, true, lo, hi, scale / 2, String.format(Locale.ROOT,
                "%s with scale %s and zero point %d takes %s to %s (its raw range %d..%d dequantized; up to half a "
                        + "step beyond either end rounds to it)", type, Float.toString(t.scale()), zp,
                number(lo), number(hi), qmin, qmax));
    }

    /** True if the input is quantized: real values are quantized into it; else they are written as they are. */
    boolean quantized() {
        return quantized;
    }

    /**
     * Refuses element {@code element}'s value {@code value} (written as {@code text}) unless the tensor can hold it.
     *
     * @throws UsageException naming the input, the element, the value and what is allowed
     */
    void check(int element, String text, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw refused(element, text, "not a finite number");
        }
        if (value < min - slack || value > max + slack) {
            throw refused(element, text, "outside what it can hold");
        }
        if (!quantized && type != TensorType.FLOAT32 && value != Math.rint(value)) {
            throw refused(element, text, "not a whole number");
        }
    }

    private UsageException refused(int element, String text, String why) {
        return new UsageException("--input: element " + element + " of " + label + " is " + text + ", " + why + "; "
                + allowed);
    }

    /** A bound as a float prints it (6.2424297), without a stray "-0.0". */
    private static String number(double v) {
        float f = (float) v;
        return f == 0 ? "0.0" : Float.toString(f);
    }
}
