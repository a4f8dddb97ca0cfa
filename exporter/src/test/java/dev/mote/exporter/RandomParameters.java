package dev.mote.exporter;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;

import java.util.Random;

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
        Random random = new Random(seed);
        for (LayerNode node : spec.nodes()) {
            int[] counts = counts(spec, node);
            if (counts == null) {
                continue;
            }
            double limit = Math.sqrt(6.0 / counts[2]);
            weights[node.index()] = uniform(random, counts[0], limit);
            bias[node.index()] = hasBias(node.layer()) ? uniform(random, counts[1], 0.2) : new float[counts[1]];
            ranges[node.index()] = new ValueRange(-1f, 1f);
        }
        for (int i = 0; i < n; i++) {
            if (ranges[i] == null) {
                ranges[i] = new ValueRange(-1f, 1f);
            }
        }
    }

    private static boolean hasBias(LayerSpec layer) {
        return layer instanceof LayerSpec.Dense d ? d.useBias()
                : layer instanceof LayerSpec.Conv2D c ? c.useBias()
                : ((LayerSpec.DepthwiseConv2D) layer).useBias();
    }

    /** {weight count, bias count, fan-in} of a layer with weights, or null. */
    static int[] counts(ModelSpec spec, LayerNode node) {
        LayerSpec layer = node.layer();
        boolean weighted = layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Conv2D
                || layer instanceof LayerSpec.DepthwiseConv2D;
        if (!weighted) {
            return null;
        }
        int[] in = spec.node(node.input()).outputShape().dims();
        if (layer instanceof LayerSpec.Dense d) {
            int features = (int) spec.node(node.input()).outputShape().elementCount();
            return new int[] {d.units() * features, d.units(), features};
        } else if (layer instanceof LayerSpec.Conv2D c) {
            int fanIn = c.kernelH() * c.kernelW() * in[2];
            return new int[] {c.filters() * fanIn, c.filters(), fanIn};
        } else if (layer instanceof LayerSpec.DepthwiseConv2D c) {
            int channels = in[2] * c.depthMultiplier();
            return new int[] {c.kernelH() * c.kernelW() * channels, channels, c.kernelH() * c.kernelW()};
        }
        return null;
    }

    private static float[] uniform(Random random, int count, double limit) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return out;
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
}
