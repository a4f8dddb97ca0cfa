package dev.mote.runtime.testing;

import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;

/**
 * An int8 FULLY_CONNECTED, CONV_2D or DEPTHWISE_CONV_2D operator of a model, recomputed element by element from the
 * model's raw weights, bias and quantization and a given raw input, with straight reference loops independent of
 * both interpreters: the int32 accumulator, TFLM's requantized output and desktop TFLite's ({@link NegativeHalfTie}).
 *
 * <pre>{@code
 * LayerRecomputation layer = LayerRecomputation.of(model, model.mainSubgraph().operators().get(0));
 * int[] tflm = layer.tflmOutputs(inputBytes);
 * int[] desktop = layer.desktopOutputs(inputBytes);
 * }</pre>
 */
public final class LayerRecomputation {
    private final BuiltinOperator code;
    private final byte[] weights;
    private final int[] bias;
    private final int inputZeroPoint;
    private final int outputZeroPoint;
    private final int[] multipliers;
    private final int[] shifts;
    private final int actMin;
    private final int actMax;
    private final int outputCount;
    private final int outChannels;
    // FULLY_CONNECTED
    private final int accumDepth;
    // CONV_2D, DEPTHWISE_CONV_2D
    private final int[] inShape;
    private final int[] outShape;
    private final int filterH;
    private final int filterW;
    private final int strideH;
    private final int strideW;
    private final int dilationH;
    private final int dilationW;
    private final int padTop;
    private final int padLeft;
    private final int depthMultiplier;

    private LayerRecomputation(Model model, Operator op, BuiltinOperator code) {
        this.code = code;
        Subgraph sg = model.mainSubgraph();
        Tensor in = sg.tensor(op.input(0));
        Tensor w = sg.tensor(op.input(1));
        Tensor out = sg.tensor(op.output(0));
        weights = model.buffer(w.buffer()).toByteArray();
        bias = op.inputCount() > 2 && op.input(2) >= 0
                ? LittleEndian.toInts(model.buffer(sg.tensor(op.input(2)).buffer()).toByteArray()) : null;
        inputZeroPoint = (int) in.quantization().zeroPoint();
        outputZeroPoint = (int) out.quantization().zeroPoint();
        inShape = in.shape();
        outShape = out.shape();
        outputCount = (int) out.elementCount();
        int fused;
        int sh = 1;
        int sw = 1;
        int dh = 1;
        int dw = 1;
        int padding = Padding.VALID.code();
        int multiplier = 1;
        if (code == BuiltinOperator.FULLY_CONNECTED) {
            outChannels = w.dim(0);
            accumDepth = w.dim(1);
            filterH = 1;
            filterW = 1;
            BuiltinOptions.FullyConnected options = (BuiltinOptions.FullyConnected) op.options();
            fused = options == null ? 0 : options.activation();
        } else {
            outChannels = outShape[3];
            accumDepth = 0;
            filterH = w.dim(1);
            filterW = w.dim(2);
            int[] o = op.options() instanceof BuiltinOptions.Conv2D c
                    ? new int[] {c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), c.padding(), c.activation(), 1}
                    : depthwiseOptions((BuiltinOptions.DepthwiseConv2D) op.options());
            sh = o[0];
            sw = o[1];
            dh = o[2];
            dw = o[3];
            padding = o[4];
            fused = o[5];
            multiplier = o[6];
        }
        strideH = sh;
        strideW = sw;
        dilationH = dh;
        dilationW = dw;
        depthMultiplier = multiplier;
        boolean same = padding == Padding.SAME.code();
        padTop = code == BuiltinOperator.FULLY_CONNECTED || !same ? 0
                : Windows.padBefore(inShape[1], filterH, strideH, dilationH, outShape[1]);
        padLeft = code == BuiltinOperator.FULLY_CONNECTED || !same ? 0
                : Windows.padBefore(inShape[2], filterW, strideW, dilationW, outShape[2]);
        Quantization wq = w.quantization();
        multipliers = new int[outChannels];
        shifts = new int[outChannels];
        for (int c = 0; c < outChannels; c++) {
            float wScale = wq.channelCount() == 1 ? wq.scale() : wq.scale(c);
            QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                    (double) in.quantization().scale() * wScale / out.quantization().scale());
            multipliers[c] = m.multiplier();
            shifts[c] = m.shift();
        }
        QuantizedMath.IntRange range = QuantizedMath.activationRange(Activation.fromCode(fused),
                out.quantization().scale(), outputZeroPoint, -128, 127);
        actMin = range.min();
        actMax = range.max();
    }

    /** {stride_h, stride_w, dilation_h, dilation_w, padding, activation, depth_multiplier}. */
    private static int[] depthwiseOptions(BuiltinOptions.DepthwiseConv2D c) {
        return new int[] {c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), c.padding(), c.activation(),
                c.depthMultiplier()};
    }

    /** True if this class can recompute the operator's op. */
    public static boolean covers(BuiltinOperator code) {
        return code == BuiltinOperator.FULLY_CONNECTED || code == BuiltinOperator.CONV_2D
                || code == BuiltinOperator.DEPTHWISE_CONV_2D;
    }

    /** The recomputation of an int8 FULLY_CONNECTED, CONV_2D or DEPTHWISE_CONV_2D operator of {@code model}. */
    public static LayerRecomputation of(Model model, Operator op) {
        BuiltinOperator code = model.operatorCodes().get(op.opcodeIndex()).builtin();
        if (!covers(code)) {
            throw new IllegalArgumentException(code + " is not recomputed here");
        }
        return new LayerRecomputation(model, op, code);
    }

    /** The output channel of an output element. */
    public int channel(int element) {
        return element % outChannels;
    }

    /** The int32 accumulator of output {@code element} on the raw int8 {@code input}, bias included. */
    public int accumulator(byte[] input, int element) {
        int channel = channel(element);
        int acc = 0;
        if (code == BuiltinOperator.FULLY_CONNECTED) {
            int batch = element / outChannels;
            for (int d = 0; d < accumDepth; d++) {
                acc += weights[channel * accumDepth + d] * (input[batch * accumDepth + d] - inputZeroPoint);
            }
        } else {
            int ox = (element / outChannels) % outShape[2];
            int oy = (element / outChannels / outShape[2]) % outShape[1];
            int batch = element / outChannels / outShape[2] / outShape[1];
            int inC = inShape[3];
            for (int ky = 0; ky < filterH; ky++) {
                for (int kx = 0; kx < filterW; kx++) {
                    int iy = oy * strideH - padTop + ky * dilationH;
                    int ix = ox * strideW - padLeft + kx * dilationW;
                    if (iy < 0 || ix < 0 || iy >= inShape[1] || ix >= inShape[2]) {
                        continue;
                    }
                    int pixel = ((batch * inShape[1] + iy) * inShape[2] + ix) * inC;
                    if (code == BuiltinOperator.CONV_2D) {
                        for (int ic = 0; ic < inC; ic++) {
                            acc += weights[((channel * filterH + ky) * filterW + kx) * inC + ic]
                                    * (input[pixel + ic] - inputZeroPoint);
                        }
                    } else {
                        acc += weights[(ky * filterW + kx) * outChannels + channel]
                                * (input[pixel + channel / depthMultiplier] - inputZeroPoint);
                    }
                }
            }
        }
        return bias == null ? acc : acc + bias[channel];
    }

    /** TFLM's (and Mote's) output {@code element}. */
    public int tflm(byte[] input, int element) {
        int c = channel(element);
        return NegativeHalfTie.requantizeTflm(accumulator(input, element), multipliers[c], shifts[c],
                outputZeroPoint, actMin, actMax);
    }

    /** Desktop TFLite's output {@code element} (the final shift rounds half up). */
    public int desktop(byte[] input, int element) {
        int c = channel(element);
        return NegativeHalfTie.requantizeHalfUp(accumulator(input, element), multipliers[c], shifts[c],
                outputZeroPoint, actMin, actMax);
    }

    /** Every output as TFLM computes it. */
    public int[] tflmOutputs(byte[] input) {
        int[] out = new int[outputCount];
        for (int e = 0; e < out.length; e++) {
            out[e] = tflm(input, e);
        }
        return out;
    }

    /** Every output as desktop TFLite computes it. */
    public int[] desktopOutputs(byte[] input) {
        int[] out = new int[outputCount];
        for (int e = 0; e < out.length; e++) {
            out[e] = desktop(input, e);
        }
        return out;
    }

    /**
     * Throws {@link AssertionError} unless the difference at {@code element} between Mote's {@code moteValue} and
     * desktop TFLite's {@code tfliteValue} is the negative-half tie.
     */
    public void proveTie(byte[] input, int element, int moteValue, int tfliteValue) {
        int c = channel(element);
        int acc = accumulator(input, element);
        if (!NegativeHalfTie.explains(acc, multipliers[c], shifts[c], outputZeroPoint, actMin, actMax, moteValue,
                tfliteValue)) {
            throw new AssertionError("unexplained difference at " + code + " element " + element + " (acc " + acc
                    + ", shift " + shifts[c] + "): Mote " + moteValue + ", TFLite " + tfliteValue + "; recomputed TFLM "
                    + tflm(input, element) + ", round-half-up " + desktop(input, element) + ", negative-half tie: "
                    + NegativeHalfTie.isTie(acc, multipliers[c], shifts[c]));
        }
    }
}
