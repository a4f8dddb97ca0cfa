package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.format.BuiltinOptions;

/**
 * MUL with broadcasting up to 6 dimensions (as TFLM runs it, like ADD and SUB) and a fused activation. int8:
 * {@code zp_out + MultiplyByQuantizedMultiplier((x - zp1) * (y - zp2), s1 * s2 / s_out)}, clamped; float32
 * multiplies and clamps.
 */
public final class Mul extends ElementwiseBinaryKernel {

    /** TFLM's {@code TfLiteMulParams}: activation. */
    @Override
    CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().build();
    }

    /** TFLM's {@code OpDataMul}: 7 int32 (offsets, multiplier, shift, ranges), float range. */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(7).float32().float32().build();
    }
    private int input1Offset;
    private int input2Offset;
    private int outputOffset;
    private int multiplier;
    private int shift;

    /**
     * MUL's prepared int8 constants: the 6-dimension broadcast (output dims, per-input element strides, 0 where
     * broadcast), input offsets, output offset, multiplier, shift, activation range.
     */
    public record Int8Parameters(int[] dims, int[] strides1, int[] strides2, int input1Offset, int input2Offset,
                                 int outputOffset, int multiplier, int shift, int actMin, int actMax) {
    }

    /** The prepared int8 parameters, or null when the op is float32 or int16 (or not prepared). */
    public Int8Parameters int8Parameters() {
        BroadcastShape b = broadcast();
        return quantized() && !int16() && b != null ? new Int8Parameters(b.dims(), b.strides1(), b.strides2(), input1Offset,
                input2Offset, outputOffset, multiplier, shift, actMin, actMax) : null;
    }

    @Override
    int activationCode(NodeContext node) {
        BuiltinOptions.Mul options = node.options(BuiltinOptions.Mul.class);
        return options == null ? 0 : options.activation();
    }

    @Override
    int maxBroadcastRank() {
        return 6; // TFLM's MUL broadcasts over up to 6 dimensions, as ADD and SUB do
    }

    @Override
    boolean zeroInputScaleRuns() {
        return true;
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input1, MicroTensor input2, MicroTensor output) {
        if (int16()) {
            // TFLM's CalculateOpDataMul: int16 MUL is symmetric
            for (MicroTensor t : new MicroTensor[] {input1, input2, output}) {
                if (t.zeroPoint() != 0) {
                    throw node.fail(t == output ? "output.quantization.zero_point"
                            : (t == input1 ? "input1" : "input2") + ".quantization.zero_point",
                            "must be 0 for int16 MUL, got " + t.zeroPoint());
                }
            }
        }
        input1Offset = -input1.zeroPoint();
        input2Offset = -input2.zeroPoint();
        outputOffset = output.zeroPoint();
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                (double) input1.scale() * (double) input2.scale() / (double) output.scale());
        multiplier = m.multiplier();
        shift = m.shift();
    }

    @Override
    void int8Run(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n) {
        final int off1 = input1Offset;
        final int off2 = input2Offset;
        final int offOut = outputOffset;
        final int m = multiplier;
        final int s = shift;
        final int lo = actMin;
        final int hi = actMax;
        for (int i = 0; i < n; i++, a += aStep, b += bStep) {
            int v = offOut + QuantizedMath.multiplyByQuantizedMultiplier((off1 + x[a]) * (off2 + y[b]), m, s);
            out[o + i] = (byte) Math.min(hi, Math.max(lo, v));
        }
    }

    @Override
    boolean acceptsInt16() {
        return true;
    }

    /** int16 (zero points 0): TFLM's {@code MulElementwise}/{@code BroadcastMul6DSlow} formula, int16 range. */
    @Override
    void int16Run(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n) {
        final int m = multiplier;
        final int s = shift;
        final int lo = actMin;
        final int hi = actMax;
        for (int i = 0; i < n; i++, a += aStep, b += bStep, o += 2) {
            int v = QuantizedMath.multiplyByQuantizedMultiplier((short) INT16.get(x, a) * (short) INT16.get(y, b), m, s);
            INT16.set(out, o, (short) Math.min(hi, Math.max(lo, v)));
        }
    }

    @Override
    void floatRun(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n) {
        final float lo = floatMin;
        final float hi = floatMax;
        for (int i = 0; i < n; i++, a += aStep, b += bStep, o += 4) {
            float v = (float) FLOAT32.get(x, a) * (float) FLOAT32.get(y, b);
            FLOAT32.set(out, o, QuantizedMath.clamp(v, lo, hi));
        }
    }
}
