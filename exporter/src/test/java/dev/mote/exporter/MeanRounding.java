package dev.mote.exporter;

import dev.mote.runtime.QuantizedMath;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Tensor;

/**
 * MEAN over height and width of an int8 tensor whose output keeps the input's parameters: desktop TFLite 2.8 sums
 * the raw values in int32 and divides with C's truncating integer division; TFLM's reference
 * {@code QuantizedMeanOrSum} subtracts the zero point and requantizes with a rounding fixed-point multiplier into
 * which {@code 1/n} is folded. Both are recomputed here from the operator input.
 */
final class MeanRounding {
    private MeanRounding() {
    }

    static void prove(Model model, Operator op, byte[] input, int element, int moteValue, int tfliteValue) {
        Tensor in = model.mainSubgraph().tensor(op.input(0));
        Tensor out = model.mainSubgraph().tensor(op.output(0));
        int[] axes = TieProof.ints(model.buffer(model.mainSubgraph().tensor(op.input(1)).buffer()).toByteArray());
        if (in.rank() != 4 || axes.length != 2 || axes[0] != 1 || axes[1] != 2) {
            throw new AssertionError("MEAN differs on a layout this proof does not cover: axes "
                    + java.util.Arrays.toString(axes));
        }
        int h = in.dim(1);
        int w = in.dim(2);
        int channels = in.dim(3);
        int c = element % channels;
        int n = h * w;
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += input[i * channels + c];
        }
        int desktop = QuantizedMath.clamp(sum / n, -128, 127);
        float inScale = in.quantization().scale();
        float outScale = out.quantization().scale();
        int inZp = (int) in.quantization().zeroPoint();
        int outZp = (int) out.quantization().zeroPoint();
        if (inScale != outScale || inZp != outZp) {
            throw new AssertionError("MEAN with different input and output parameters differs at element " + element);
        }
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) inScale / outScale);
        int shift = 63 - Long.numberOfLeadingZeros(n);
        shift = Math.min(shift, 32);
        shift = Math.min(shift, 31 + m.shift());
        int multiplier = (int) (((long) m.multiplier() << shift) / n);
        int tflm = QuantizedMath.clamp(QuantizedMath.multiplyByQuantizedMultiplier(sum - inZp * n, multiplier,
                m.shift() - shift) + outZp, -128, 127);
        if (desktop != tfliteValue || tflm != moteValue) {
            throw new AssertionError("MEAN channel " + c + ": Mote " + moteValue + " (TFLM's formula " + tflm
                    + "), TFLite " + tfliteValue + " (truncating mean " + desktop + ")");
        }
    }
}
