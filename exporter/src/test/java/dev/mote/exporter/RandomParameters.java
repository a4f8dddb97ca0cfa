package dev.mote.exporter;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.runtime.testing.RandomCases;

/**
 * Seeded random {@link ModelParameters}: He-uniform weights, small biases, and ranges that are either given per
 * node or set later (e.g. by {@link Calibration}).
 */
final class RandomParameters implements ModelParameters {
    private final float[][] weights;
    private final float[][] bias;
    private final ValueRange[] ranges;

    RandomParameters(ModelSpec spec, long seed) {
        int n = spec.nodes().size();
        weights = new float[n][];
        bias = new float[n][];
        ranges = new ValueRange[n];
        RandomCases random = new RandomCases(seed);
        for (LayerNode node : spec.nodes()) {
            int[] counts = counts(spec, node);
            if (counts == null) {
                continue;
            }
            double limit = Math.sqrt(6.0 / counts[2]);
            weights[node.index()] = random.symmetric(counts[0], limit);
            bias[node.index()] = hasBias(node.layer()) ? random.symmetric(counts[1], 0.2) : new float[counts[1]];
            ranges[node.index()] = new ValueRange(-1f, 1f);
        }
        for (int i = 0; i < n; i++) {
            if (ranges[i] == null) {
                ranges[i] = new ValueRange(-1f, 1f);
            }
        }
    }

    private static boolean hasBias(LayerSpec layer) {
        if (layer instanceof LayerSpec.Lstm) {
            return true;
        }
        if (layer instanceof LayerSpec.Conv1D c) {
            return c.useBias();
        }
        return layer instanceof LayerSpec.Dense d ? d.useBias()
                : layer instanceof LayerSpec.Conv2D c ? c.useBias()
                : layer instanceof LayerSpec.Conv2DTranspose t ? t.useBias()
                : ((LayerSpec.DepthwiseConv2D) layer).useBias();
    }

    /** {weight count, bias count, fan-in} of a layer with weights, or null. */
    static int[] counts(ModelSpec spec, LayerNode node) {
        LayerSpec layer = dev.mote.dsl.SequenceImage.equivalent2d(node.layer());
        if (layer instanceof LayerSpec.Lstm l) {
            int features = spec.node(node.input()).outputShape().dim(1);
            return new int[] {4 * l.units() * (features + l.units()), 4 * l.units(), features + l.units()};
        }
        boolean weighted = layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Conv2D
                || layer instanceof LayerSpec.DepthwiseConv2D || layer instanceof LayerSpec.Conv2DTranspose;
        if (!weighted) {
            return null;
        }
        int[] in = spec.node(node.input()).outputShape().dims();
        if (layer instanceof LayerSpec.Dense d) {
            dev.mote.dsl.Shape inShape = spec.node(node.input()).outputShape();
            int features = inShape.rank() == 2 ? inShape.dim(1) : (int) inShape.elementCount();
            return new int[] {d.units() * features, d.units(), features};
        } else if (layer instanceof LayerSpec.Conv2D c) {
            int fanIn = c.kernelH() * c.kernelW() * in[in.length - 1];
            return new int[] {c.filters() * fanIn, c.filters(), fanIn};
        } else if (layer instanceof LayerSpec.Conv2DTranspose c) {
            // each output sums about kH * kW * inC / (strideH * strideW) products
            int fanIn = Math.max(1, c.kernelH() * c.kernelW() * in[in.length - 1] / (c.strideH() * c.strideW()));
            return new int[] {c.filters() * c.kernelH() * c.kernelW() * in[in.length - 1], c.filters(), fanIn};
        } else if (layer instanceof LayerSpec.DepthwiseConv2D c) {
            int channels = in[2] * c.depthMultiplier();
            return new int[] {c.kernelH() * c.kernelW() * channels, channels, c.kernelH() * c.kernelW()};
        }
        return null;
    }

    void setRange(int node, ValueRange range) {
        ranges[node] = range;
    }

    void setWeights(int node, float[] w) {
        weights[node] = w;
    }

    void setBias(int node, float[] b) {
        bias[node] = b;
    }

    @Override
    public float[] weights(int nodeIndex) {
        return weights[nodeIndex];
    }

    @Override
    public float[] bias(int nodeIndex) {
        return bias[nodeIndex];
    }

    @Override
    public ValueRange outputRange(int nodeIndex) {
        return ranges[nodeIndex];
    }

    /** A cell-state range of ±4 for every LSTM (its int16 scale is then 2^-13). */
    @Override
    public ValueRange cellStateRange(int nodeIndex) {
        return weights[nodeIndex] != null ? new ValueRange(-4f, 4f) : null;
    }
}
