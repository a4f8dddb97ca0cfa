package dev.mote.exporter;

import dev.mote.runtime.QuantizedMath;
import dev.mote.runtime.format.Activation;
import dev.mote.runtime.format.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Padding;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Proves that an element where desktop TFLite and Mote disagree is the documented tie: desktop TFLite's optimized
 * int8 FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D round an exact negative half in the final right shift up, TFLM's
 * reference kernels (and Mote) round it away from zero. The int32 accumulator is recomputed here from the model's
 * raw weights, bias and the (identical) operator input, independently of both interpreters.
 */
final class TieProof {
    private TieProof() {
    }

    /**
     * Throws {@link AssertionError} unless every differing element of the operator's output is a documented
     * difference between desktop TFLite and TFLM, recomputed here; returns how many elements differ.
     */
    static int proveAll(Model model, int opIndex, byte[] input, byte[] mote, byte[] tflite) {
        Operator op = model.mainSubgraph().operators().get(opIndex);
        BuiltinOperator code = model.operatorCodes().get(op.opcodeIndex()).builtin();
        int ties = 0;
        float[] softmax = code == BuiltinOperator.SOFTMAX ? DesktopSoftmax.rescaled(model, op, input) : null;
        for (int e = 0; e < mote.length; e++) {
            if (mote[e] != tflite[e]) {
                switch (code) {
                    case SOFTMAX -> DesktopSoftmax.prove(model, op, softmax, e, mote[e], tflite[e]);
                    case MEAN -> MeanRounding.prove(model, op, input, e, mote[e], tflite[e]);
                    default -> prove(model, op, code, input, e, mote[e], tflite[e]);
                }
                ties++;
            }
        }
        return ties;
    }

    /** The name under which a proven difference of {@code code} is counted. */
    static String rule(BuiltinOperator code) {
        return switch (code) {
            case SOFTMAX -> "SOFTMAX float lookup table";
            case MEAN -> "MEAN truncating division";
            default -> code + " negative-half tie";
        };
    }

    private static void prove(Model model, Operator op, BuiltinOperator code, byte[] input, int element,
                              int moteValue, int tfliteValue) {
        if (code != BuiltinOperator.FULLY_CONNECTED && code != BuiltinOperator.CONV_2D
                && code != BuiltinOperator.DEPTHWISE_CONV_2D) {
            throw new AssertionError(code + " differs from desktop TFLite at element " + element + " (Mote " + moteValue
                    + ", TFLite " + tfliteValue + ") and no documented difference covers " + code);
        }
        Subgraph sg = model.mainSubgraph();
        Tensor in = sg.tensor(op.input(0));
        Tensor w = sg.tensor(op.input(1));
        Tensor out = sg.tensor(op.output(0));
        byte[] weights = model.buffer(w.buffer()).toByteArray();
        int[] bias = op.inputCount() > 2 && op.input(2) >= 0 ? ints(model.buffer(sg.tensor(op.input(2)).buffer())
                .toByteArray()) : null;
        int inZp = (int) in.quantization().zeroPoint();
        int channel;
        int acc;
        int fused;
        switch (code) {
            case FULLY_CONNECTED -> {
                int depth = w.dim(0);
                int accum = w.dim(1);
                int batch = element / depth;
                channel = element % depth;
                acc = 0;
                for (int d = 0; d < accum; d++) {
                    acc += weights[channel * accum + d] * (input[batch * accum + d] - inZp);
                }
                fused = ((BuiltinOptions.FullyConnected) op.options()).activation();
            }
            case CONV_2D, DEPTHWISE_CONV_2D -> {
                int[] o = out.shape();
                int[] i = in.shape();
                int outC = o[3];
                channel = element % outC;
                int ox = (element / outC) % o[2];
                int oy = (element / outC / o[2]) % o[1];
                int kh = w.dim(1);
                int kw = w.dim(2);
                int sh;
                int sw;
                int dh;
                int dw;
                int padding;
                int multiplier = 1;
                if (op.options() instanceof BuiltinOptions.Conv2D c) {
                    sh = c.strideH();
                    sw = c.strideW();
                    dh = c.dilationH();
                    dw = c.dilationW();
                    padding = c.padding();
                    fused = c.activation();
                } else {
                    BuiltinOptions.DepthwiseConv2D c = (BuiltinOptions.DepthwiseConv2D) op.options();
                    sh = c.strideH();
                    sw = c.strideW();
                    dh = c.dilationH();
                    dw = c.dilationW();
                    padding = c.padding();
                    fused = c.activation();
                    multiplier = c.depthMultiplier();
                }
                int padTop = pad(padding, i[1], o[1], kh, sh, dh);
                int padLeft = pad(padding, i[2], o[2], kw, sw, dw);
                acc = 0;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int iy = oy * sh - padTop + ky * dh;
                        int ix = ox * sw - padLeft + kx * dw;
                        if (iy < 0 || ix < 0 || iy >= i[1] || ix >= i[2]) {
                            continue;
                        }
                        if (code == BuiltinOperator.CONV_2D) {
                            int inC = i[3];
                            for (int ic = 0; ic < inC; ic++) {
                                acc += weights[((channel * kh + ky) * kw + kx) * inC + ic]
                                        * (input[(iy * i[2] + ix) * inC + ic] - inZp);
                            }
                        } else {
                            int ic = channel / multiplier;
                            acc += weights[(ky * kw + kx) * outC + channel]
                                    * (input[(iy * i[2] + ix) * i[3] + ic] - inZp);
                        }
                    }
                }
            }
            default -> throw new AssertionError(code + " differs from desktop TFLite at element " + element
                    + " (Mote " + moteValue + ", TFLite " + tfliteValue + ") and no tie rule covers " + code);
        }
        if (bias != null) {
            acc += bias[channel];
        }
        Quantization wq = w.quantization();
        float wScale = wq.channelCount() == 1 ? wq.scale() : wq.scale(channel);
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                (double) in.quantization().scale() * wScale / out.quantization().scale());
        int outZp = (int) out.quantization().zeroPoint();
        QuantizedMath.IntRange range = QuantizedMath.activationRange(Activation.fromCode(fused),
                out.quantization().scale(), outZp, -128, 127);
        int left = Math.max(m.shift(), 0);
        int exponent = Math.max(-m.shift(), 0);
        int high = QuantizedMath.saturatingRoundingDoublingHighMul(acc * (1 << left), m.multiplier());
        int mask = (1 << exponent) - 1;
        boolean tie = exponent > 0 && high < 0 && (high & mask) == 1 << (exponent - 1);
        int tflm = QuantizedMath.clamp(QuantizedMath.roundingDivideByPOT(high, exponent) + outZp, range.min(),
                range.max());
        int halfUp = exponent == 0 ? high : (high + (1 << (exponent - 1))) >> exponent;
        int desktop = QuantizedMath.clamp(halfUp + outZp, range.min(), range.max());
        String where = code + " element " + element + " (acc " + acc + ", high " + high + ", shift " + m.shift()
                + "): Mote " + moteValue + ", TFLite " + tfliteValue;
        if (!tie || tflm != moteValue || desktop != tfliteValue) {
            throw new AssertionError("unexplained difference at " + where + "; recomputed TFLM " + tflm
                    + ", round-half-up " + desktop + ", negative-half tie: " + tie);
        }
    }

    /** TFLite's {@code ComputePaddingHeightWidth} for one dimension. */
    private static int pad(int padding, int in, int out, int k, int stride, int dilation) {
        if (padding != Padding.SAME.code()) {
            return 0;
        }
        int effective = (k - 1) * dilation + 1;
        int total = Math.max((out - 1) * stride + effective - in, 0);
        return total / 2;
    }

    static int[] ints(byte[] raw) {
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[raw.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getInt();
        }
        return out;
    }
}
