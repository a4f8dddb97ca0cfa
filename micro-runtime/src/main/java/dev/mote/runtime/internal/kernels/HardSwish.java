package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.FixedPointMath;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;

/**
 * HARD_SWISH: {@code x * relu6(x + 3) / 6}. int8 follows TFLite's reference 16-bit fixed-point arithmetic (hires
 * input scale {@code in_scale / 128}, a "reluish" multiplier mapping [-3, 3] onto the int16 range, Q15 multipliers
 * from {@code DownScaleInt32ToInt16Multiplier}); float32 computes the formula in float.
 */
public final class HardSwish extends ElementwiseUnaryKernel {

    /** TFLM's {@code HardSwishParams}: int16 zero points and multipliers, int32 exponents. */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).int16s(3).int32().int16().int32().build();
    }
    private int inputZeroPoint;
    private int outputZeroPoint;
    private short outputMultiplier;
    private int outputExponent;
    private short reluishMultiplier;
    private int reluishExponent;

    @Override
    void prepareInt8(NodeContext node, MicroTensor input, MicroTensor output) {
        inputZeroPoint = input.zeroPoint();
        outputZeroPoint = output.zeroPoint();
        float hiresInputScale = (1.0f / 128.0f) * input.scale();
        float reluishScale = 3.0f / 32768.0f;
        QuantizedMath.Multiplier out = QuantizedMath.quantizeMultiplier((double) (hiresInputScale / output.scale()));
        outputMultiplier = FixedPointMath.downScaleInt32ToInt16Multiplier(out.multiplier());
        outputExponent = out.shift();
        if (outputExponent > 0) {
            throw node.fail("output.quantization.scale", "input scale / (128 * output scale) must be < 1 (TFLM "
                    + "requires a non-positive output multiplier exponent), got exponent " + outputExponent);
        }
        QuantizedMath.Multiplier reluish = QuantizedMath.quantizeMultiplier((double) (hiresInputScale / reluishScale));
        reluishMultiplier = FixedPointMath.downScaleInt32ToInt16Multiplier(reluish.multiplier());
        reluishExponent = reluish.shift();
    }

    @Override
    int int8Value(int q) {
        short inputValue = (short) (q - inputZeroPoint);
        short hires = (short) (inputValue * (1 << 7));
        short preshiftOutputScale = FixedPointMath.saturatingRoundingDoublingHighMul16(hires, outputMultiplier);
        short reluish = hires;
        if (reluishExponent > 0) {
            reluish = FixedPointMath.saturatingLeftShift16(reluish, reluishExponent - 1);
        }
        reluish = FixedPointMath.saturatingRoundingDoublingHighMul16(reluish, reluishMultiplier);
        if (reluishExponent > 0) {
            reluish = FixedPointMath.saturatingLeftShift16(reluish, 1);
        }
        if (reluishExponent < 0) {
            reluish = FixedPointMath.roundingDivideByPOT16(reluish, -reluishExponent);
        }
        reluish = (short) ((reluish + (1 << 15)) >> 1);
        short preshiftOutput = FixedPointMath.saturatingDoublingHighMul16(reluish, preshiftOutputScale);
        short outputValue = FixedPointMath.roundingDivideByPOT16(preshiftOutput, -outputExponent);
        outputValue = (short) (outputValue + outputZeroPoint);
        return clampInt8(outputValue);
    }

    @Override
    float floatValue(float x) {
        return x * Math.min(6f, Math.max(0f, x + 3f)) / 6f;
    }
}
