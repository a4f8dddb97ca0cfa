package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.format.BuiltinOptions;

/**
 * SUB ({@code input1 - input2}) with broadcasting up to 6 dimensions and a fused activation. int8 uses TFLite's
 * reference quantized arithmetic with TFLM's single-precision multiplier derivation ({@link QuantizedAddSub}), int16
 * the same with left shift 15; float32 subtracts and clamps.
 */
public final class Sub extends ElementwiseBinaryKernel {

    /** TFLM's {@code TfLiteSubParams}: activation, pot_scale_int16. */
    @Override
    CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().bool().build();
    }

    /** TFLM's {@code OpDataSub}: requantize flag, 12 int32 (multipliers, shifts, offsets, ranges). */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).bool().int32s(12).build();
    }
    private QuantizedAddSub arithmetic;

    /** The prepared int8 parameters (as ADD's), or null when the op is float32 or int16 (or not prepared). */
    public Add.Int8Parameters int8Parameters() {
        return quantized() && !int16() && arithmetic != null ? arithmetic.parameters(broadcast(), actMin, actMax) : null;
    }

    @Override
    int activationCode(NodeContext node) {
        BuiltinOptions.Sub options = node.options(BuiltinOptions.Sub.class);
        return options == null ? 0 : options.activation();
    }

    @Override
    int maxBroadcastRank() {
        return 6;
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input1, MicroTensor input2, MicroTensor output) {
        try {
            arithmetic = QuantizedAddSub.forSub(input1, input2, output);
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
            out[o + i] = (byte) q.subtract(x[a], y[b], lo, hi);
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
            INT16.set(out, o, (short) q.subtract((short) INT16.get(x, a), (short) INT16.get(y, b), lo, hi));
        }
    }

    @Override
    void floatRun(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n) {
        final float lo = floatMin;
        final float hi = floatMax;
        for (int i = 0; i < n; i++, a += aStep, b += bStep, o += 4) {
            float v = (float) FLOAT32.get(x, a) - (float) FLOAT32.get(y, b);
            FLOAT32.set(out, o, QuantizedMath.clamp(v, lo, hi));
        }
    }
}
