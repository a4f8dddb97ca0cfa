package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.internal.QuantizedMath;

/**
 * TFLite's general quantized ADD/SUB arithmetic: both inputs are shifted left by 20 bits (int8) or 15 (int16: TFLM
 * takes this general path for int16 too, never the power-of-two one), rescaled to twice
 * the larger input scale, added or subtracted, and rescaled to the output. ADD derives its multipliers in double
 * precision, SUB in single precision (each as TFLM's prepare does, which can differ in the last bits).
 */
final class QuantizedAddSub {
    static final int LEFT_SHIFT = 20;
    static final int LEFT_SHIFT_INT16 = 15;

    private final int leftShift;
    private final int input1Offset;
    private final int input2Offset;
    private final int outputOffset;
    private final int input1Multiplier;
    private final int input1Shift;
    private final int input2Multiplier;
    private final int input2Shift;
    private final int outputMultiplier;
    private final int outputShift;

    private QuantizedAddSub(MicroTensor in1, MicroTensor in2, MicroTensor out, int leftShift, double real1,
                            double real2, double realOut) {
        this.leftShift = leftShift;
        input1Offset = -in1.zeroPoint();
        input2Offset = -in2.zeroPoint();
        outputOffset = out.zeroPoint();
        QuantizedMath.Multiplier m1 = QuantizedMath.quantizeMultiplier(real1);
        QuantizedMath.Multiplier m2 = QuantizedMath.quantizeMultiplier(real2);
        QuantizedMath.Multiplier mo = QuantizedMath.quantizeMultiplier(realOut);
        input1Multiplier = m1.multiplier();
        input1Shift = m1.shift();
        input2Multiplier = m2.multiplier();
        input2Shift = m2.shift();
        outputMultiplier = mo.multiplier();
        outputShift = mo.shift();
        if (!(realOut > 0 && realOut < 1)) {
            // TFLM's QuantizeMultiplierSmallerThanOneExp checks this and stops
            throw new IllegalArgumentException("2 * max(input scales) / (2^" + leftShift + " * output scale) = "
                    + realOut + " must be in (0, 1)");
        }
    }

    /** ADD's parameters (TFLM's {@code CalculateOpDataAdd}: double arithmetic). */
    static QuantizedAddSub forAdd(MicroTensor in1, MicroTensor in2, MicroTensor out) {
        int shift = leftShift(out);
        double twiceMax = 2 * (double) Math.max(in1.scale(), in2.scale());
        return new QuantizedAddSub(in1, in2, out, shift, (double) in1.scale() / twiceMax,
                (double) in2.scale() / twiceMax, twiceMax / ((1 << shift) * (double) out.scale()));
    }

    /** SUB's parameters (TFLM's {@code CalculateOpDataSub}: float arithmetic widened to double). */
    static QuantizedAddSub forSub(MicroTensor in1, MicroTensor in2, MicroTensor out) {
        int shift = leftShift(out);
        float twiceMax = 2 * Math.max(in1.scale(), in2.scale());
        return new QuantizedAddSub(in1, in2, out, shift, (double) (in1.scale() / twiceMax),
                (double) (in2.scale() / twiceMax), (double) (twiceMax / ((1 << shift) * out.scale())));
    }

    /** TFLM's {@code left_shift}: 15 for an int16 output (65535 << 15 still fits the int32 sum), else 20. */
    private static int leftShift(MicroTensor out) {
        return out.type() == dev.mote.vocabulary.TensorType.INT16 ? LEFT_SHIFT_INT16 : LEFT_SHIFT;
    }

    /** The prepared constants with the kernel's broadcast and activation range, for code generators. */
    Add.Int8Parameters parameters(BroadcastShape b, int actMin, int actMax) {
        return new Add.Int8Parameters(b.dims(), b.strides1(), b.strides2(), leftShift, input1Offset,
                input1Multiplier, input1Shift, input2Offset, input2Multiplier, input2Shift, outputOffset,
                outputMultiplier, outputShift, actMin, actMax);
    }

    /** The two inputs' contributions before the output rescale: {@code scaled1 ± scaled2}. */
    private int scaled(int x, int offset, int multiplier, int shift) {
        return QuantizedMath.multiplyByQuantizedMultiplier((offset + x) * (1 << leftShift), multiplier, shift);
    }

    private int finish(int raw, int actMin, int actMax) {
        int v = QuantizedMath.multiplyByQuantizedMultiplier(raw, outputMultiplier, outputShift) + outputOffset;
        return Math.min(actMax, Math.max(actMin, v));
    }

    int add(int x, int y, int actMin, int actMax) {
        return finish(scaled(x, input1Offset, input1Multiplier, input1Shift)
                + scaled(y, input2Offset, input2Multiplier, input2Shift), actMin, actMax);
    }

    int subtract(int x, int y, int actMin, int actMax) {
        return finish(scaled(x, input1Offset, input1Multiplier, input1Shift)
                - scaled(y, input2Offset, input2Multiplier, input2Shift), actMin, actMax);
    }
}
