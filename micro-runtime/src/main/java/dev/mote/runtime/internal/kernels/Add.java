package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.format.BuiltinOptions;

/**
 * ADD with broadcasting up to 6 dimensions and a fused activation. int8 uses TFLite's reference quantized
 * arithmetic (left shift 20, per-input multipliers, see {@link QuantizedAddSub}), int16 the same general path with
 * left shift 15 (TFLM never takes the power-of-two int16 path); float32 adds and clamps.
 */
public final class Add extends ElementwiseBinaryKernel {

    /** TFLM's {@code TfLiteAddParams}: activation, pot_scale_int16. */
    @Override
    CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().bool().build();
    }

    /** TFLM's {@code OpDataAdd}: requantize flag, 12 int32 (multipliers, shifts, offsets, ranges), float range. */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).bool().int32s(12).float32().float32().build();
    }
    private QuantizedAddSub arithmetic;

    /**
     * ADD/SUB's prepared int8 constants: the 6-dimension broadcast (output dims, per-input element strides, 0 where
     * broadcast), left shift, per-input offsets/multipliers/shifts, output offset/multiplier/shift, activation range.
     */
    public record Int8Parameters(int[] dims, int[] strides1, int[] strides2, int leftShift, int input1Offset,
                                 int input1Multiplier, int input1Shift, int input2Offset, int input2Multiplier,
                                 int input2Shift, int outputOffset, int outputMultiplier, int outputShift,
                                 int actMin, int actMax) {
    }

    /** The prepared int8 parameters, or null when the op is float32 or int16 (or not prepared). */
    public Int8Parameters int8Parameters() {
        return quantized() && !int16() && arithmetic != null ? arithmetic.parameters(broadcast(), actMin, actMax) : null;
    }

    @Override
    int activationCode(NodeContext node) {
        BuiltinOptions.Add options = node.options(BuiltinOptions.Add.class);
        return options == null ? 0 : options.activation();
    }

    @Override
    int maxBroadcastRank() {
        return 6;
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input1, MicroTensor input2, MicroTensor output) {
        try {
            arithmetic = QuantizedAddSub.forAdd(input1, input2, output);
        } catch (IllegalArgumentException e) {
            throw node.fail("output.quantization.scale", e.getMessage());
        }
    }

    @Override
    void int8Run(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n) {
        final QuantizedAddSub q = arithmetic;
        final int lo = actMin;
        final int hi = actMax;
        for (int i = 0; i < n; i++, a += aStep, b += bStep) {
            out[o + i] = (byte) q.add(x[a], y[b], lo, hi);
        }
    }

    @Override
    boolean acceptsInt16() {
        return true;
    }

    @Override
    void int16Run(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n) {
        final QuantizedAddSub q = arithmetic;
        final int lo = actMin;
        final int hi = actMax;
        for (int i = 0; i < n; i++, a += aStep, b += bStep, o += 2) {
            INT16.set(out, o, (short) q.add((short) INT16.get(x, a), (short) INT16.get(y, b), lo, hi));
        }
    }

    @Override
    void floatRun(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n) {
        final float lo = floatMin;
        final float hi = floatMax;
        for (int i = 0; i < n; i++, a += aStep, b += bStep, o += 4) {
            float v = (float) FLOAT32.get(x, a) + (float) FLOAT32.get(y, b);
            FLOAT32.set(out, o, QuantizedMath.clamp(v, lo, hi));
        }
    }
}
