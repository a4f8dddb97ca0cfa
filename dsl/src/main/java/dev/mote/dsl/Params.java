package dev.mote.dsl;

import dev.mote.dsl.plan.PlannedWeights;

/**
 * Parameter arithmetic of a layer given its input shape: Keras-equivalent parameter counts, the int8 weights and
 * int32 biases it puts in flash, and the lengths of the integer sums its TFLM kernel accumulates. All results are
 * {@code long} and saturate, so that oversized declarations can be reported instead of overflowing.
 */
final class Params {
    private Params() {
    }

    /** Weights of the exported int8 tensor (0 for layers without weights), from {@link PlannedWeights}. */
    static long weightCount(LayerSpec layer, Shape in) {
        long[] dims = PlannedWeights.dimensionsOf(layer, in);
        if (dims == null) {
            return 0;
        }
        long n = 1;
        for (long d : dims) {
            n = saturatingMultiply(n, d);
        }
        return n;
    }

    /** Biases of the exported int32 tensor, by {@link PlannedWeights#getsBias}. */
    static long biasCount(LayerSpec layer, Shape in, boolean batchNormFolded) {
        return PlannedWeights.getsBias(layer, batchNormFolded) ? outputChannels(layer, in) : 0;
    }

    private static long outputChannels(LayerSpec layer, Shape in) {
        long[] dims = PlannedWeights.dimensionsOf(layer, in);
        if (layer instanceof LayerSpec.Lstm l) {
            return 4L * l.units();
        }
        return dims == null ? 0 : layer instanceof LayerSpec.DepthwiseConv2D ? dims[3] : dims[0];
    }

    /** Parameters as Keras counts them (batch norm: gamma, beta, moving mean and variance per channel). */
    static long kerasParams(LayerSpec declared, Shape in) {
        LayerSpec layer = SequenceImage.equivalent2d(declared);
        if (layer instanceof LayerSpec.BatchNorm) {
            return 4L * last(in);
        }
        boolean kerasBias = layer instanceof LayerSpec.Dense d ? d.useBias()
                : layer instanceof LayerSpec.Conv2D c ? c.useBias()
                : layer instanceof LayerSpec.Conv2DTranspose t ? t.useBias()
                : layer instanceof LayerSpec.Lstm
                || layer instanceof LayerSpec.DepthwiseConv2D dw && dw.useBias();
        return saturatingAdd(weightCount(layer, in), kerasBias ? outputChannels(layer, in) : 0);
    }

    /** Flash bytes of the layer's constant data in an int8 export: 1 byte per weight, 4 per bias. */
    static long flashBytes(LayerSpec layer, Shape in, boolean batchNormFolded) {
        return flashBytes(layer, in, batchNormFolded, 4);
    }

    /** Int8 weights plus biases of {@code biasBytes} each (4 int32, 8 int64 in 16x8 mode). */
    static long flashBytes(LayerSpec layer, Shape in, boolean batchNormFolded, int biasBytes) {
        return saturatingAdd(weightCount(layer, in), saturatingMultiply(biasCount(layer, in, batchNormFolded),
                biasBytes));
    }

    /** The number of products one output element sums (FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D). */
    static long accumulationDepth(LayerSpec declared, Shape in) {
        LayerSpec layer = SequenceImage.equivalent2d(declared);
        if (layer instanceof LayerSpec.Dense) {
            return last(in);
        } else if (layer instanceof LayerSpec.Conv2D c) {
            return saturatingMultiply((long) c.kernelH() * c.kernelW(), last(in));
        } else if (layer instanceof LayerSpec.Conv2DTranspose c) {
            // at most ceil(k / stride) taps per axis reach one output, each over all input channels
            return saturatingMultiply((long) ((c.kernelH() + c.strideH() - 1) / c.strideH())
                    * ((c.kernelW() + c.strideW() - 1) / c.strideW()), last(in));
        } else if (layer instanceof LayerSpec.DepthwiseConv2D c) {
            return (long) c.kernelH() * c.kernelW();
        }
        return 0;
    }

    /** The number of int8 values one output element averages (AVERAGE_POOL_2D, MEAN). */
    static long averagedElements(LayerSpec declared, Shape in) {
        LayerSpec layer = SequenceImage.equivalent2d(declared);
        if (declared instanceof LayerSpec.GlobalAvgPool1D && in.rank() == 2) {
            return in.dim(0);
        }
        if (layer instanceof LayerSpec.AvgPool2D p) {
            return (long) p.poolH() * p.poolW();
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D && in.rank() == 3) {
            return (long) in.dim(0) * in.dim(1);
        }
        return 0;
    }

    private static long last(Shape in) {
        return in.rank() == 0 ? 0 : in.dim(in.rank() - 1);
    }

    static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
