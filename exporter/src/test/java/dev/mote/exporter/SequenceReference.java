package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.dsl.ValueRange;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.vocabulary.Padding;

import java.util.Arrays;

/**
 * A float reference for sequence models written from the layer definitions alone, independent of TFLite's and
 * Mote's operators: conv1d as a plain 1-D convolution over {@code [steps, channels]}, the poolings over steps, dense
 * per step or on a flat vector, the last step, and the LSTM as the textbook equations (gates i, f, g, o). Reading
 * the parameters in {@link ModelParameters}' documented layout, it checks the exporter's layout and semantics. It
 * also owns seeded random parameters whose ranges (and LSTM cell-state ranges) it calibrates itself.
 */
final class SequenceReference {
    private SequenceReference() {
    }

    /** Seeded parameters of a sequence model; ranges calibrated on the reference. */
    static final class Parameters implements ModelParameters {
        final float[][] weights;
        final float[][] bias;
        final ValueRange[] ranges;
        final ValueRange[] cellRanges;

        Parameters(ModelSpec spec, long seed) {
            int n = spec.nodes().size();
            weights = new float[n][];
            bias = new float[n][];
            ranges = new ValueRange[n];
            cellRanges = new ValueRange[n];
            RandomCases random = new RandomCases(seed);
            for (LayerNode node : spec.nodes()) {
                Shape in = node.index() == 0 ? null : spec.node(node.input()).outputShape();
                LayerSpec layer = node.layer();
                if (layer instanceof LayerSpec.Conv1D c) {
                    int ch = in.dim(1);
                    int fanIn = c.kernel() * ch;
                    weights[node.index()] = random.symmetric(c.filters() * fanIn, Math.sqrt(6.0 / fanIn));
                    bias[node.index()] = c.useBias() ? random.symmetric(c.filters(), 0.2) : new float[c.filters()];
                } else if (layer instanceof LayerSpec.Dense d) {
                    int f = in.rank() == 2 ? in.dim(1) : (int) in.elementCount();
                    weights[node.index()] = random.symmetric(d.units() * f, Math.sqrt(6.0 / f));
                    bias[node.index()] = d.useBias() ? random.symmetric(d.units(), 0.2) : new float[d.units()];
                } else if (layer instanceof LayerSpec.Lstm l) {
                    int f = in.dim(1);
                    int u = l.units();
                    weights[node.index()] = random.symmetric(4 * u * (f + u), Math.sqrt(6.0 / (f + u)));
                    float[] b = random.symmetric(4 * u, 0.2);
                    for (int k = u; k < 2 * u; k++) {
                        b[k] += 1f; // Keras' unit forget bias
                    }
                    bias[node.index()] = b;
                }
            }
        }

        /** Sets every node's range (and cell-state range) to what the reference computes on the inputs. */
        void calibrate(ModelSpec spec, float[][] inputs) {
            int n = spec.nodes().size();
            float[] min = new float[n];
            float[] max = new float[n];
            float[] cmin = new float[n];
            float[] cmax = new float[n];
            Arrays.fill(min, Float.POSITIVE_INFINITY);
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            Arrays.fill(cmin, Float.POSITIVE_INFINITY);
            Arrays.fill(cmax, Float.NEGATIVE_INFINITY);
            for (float[] x : inputs) {
                float[][] values = run(spec, this, x, cmin, cmax);
                for (int i = 0; i < n; i++) {
                    for (float v : values[i]) {
                        min[i] = Math.min(min[i], v);
                        max[i] = Math.max(max[i], v);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                ranges[i] = new ValueRange(min[i], max[i]);
                if (spec.node(i).layer() instanceof LayerSpec.Lstm) {
                    cellRanges[i] = new ValueRange(cmin[i], cmax[i]);
                }
            }
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

        @Override
        public ValueRange cellStateRange(int nodeIndex) {
            return cellRanges[nodeIndex];
        }
    }

    /** The model's output for input {@code x} (row-major, without batch). */
    static float[] output(ModelSpec spec, ModelParameters p, float[] x) {
        float[][] v = run(spec, p, x, null, null);
        return v[v.length - 1];
    }

    /** Every node's value; LSTM cell-state extremes into {@code cmin}/{@code cmax} when given. */
    static float[][] run(ModelSpec spec, ModelParameters p, float[] x, float[] cmin, float[] cmax) {
        int n = spec.nodes().size();
        float[][] v = new float[n][];
        v[0] = x.clone();
        for (int i = 1; i < n; i++) {
            LayerNode node = spec.node(i);
            Shape in = spec.node(node.input()).outputShape();
            float[] a = v[node.input()];
            LayerSpec layer = node.layer();
            if (layer instanceof LayerSpec.Conv1D c) {
                v[i] = conv1d(a, in.dim(0), in.dim(1), c, p.weights(i), p.bias(i));
            } else if (layer instanceof LayerSpec.MaxPool1D m) {
                v[i] = pool(a, in.dim(0), in.dim(1), m.pool(), m.stride(), m.padding(), true);
            } else if (layer instanceof LayerSpec.AvgPool1D m) {
                v[i] = pool(a, in.dim(0), in.dim(1), m.pool(), m.stride(), m.padding(), false);
            } else if (layer instanceof LayerSpec.GlobalAvgPool1D) {
                v[i] = pool(a, in.dim(0), in.dim(1), in.dim(0), 1, Padding.VALID, false);
            } else if (layer instanceof LayerSpec.Dense d) {
                int rows = in.rank() == 2 ? in.dim(0) : 1;
                int f = a.length / rows;
                v[i] = new float[rows * d.units()];
                for (int r = 0; r < rows; r++) {
                    for (int u = 0; u < d.units(); u++) {
                        double s = p.bias(i)[u];
                        for (int k = 0; k < f; k++) {
                            s += (double) p.weights(i)[u * f + k] * a[r * f + k];
                        }
                        v[i][r * d.units() + u] = (float) s;
                    }
                }
            } else if (layer instanceof LayerSpec.LastStep) {
                int f = in.dim(1);
                v[i] = Arrays.copyOfRange(a, (in.dim(0) - 1) * f, in.dim(0) * f);
            } else if (layer instanceof LayerSpec.Lstm l) {
                v[i] = lstm(a, in.dim(0), in.dim(1), l.units(), p.weights(i), p.bias(i), cmin, cmax, i);
            } else if (layer instanceof LayerSpec.Activation act) {
                v[i] = activation(a, act.kind(), node.outputShape());
            } else {
                v[i] = a.clone(); // flatten, batch norm (folded into the parameters), dropout
            }
        }
        return v;
    }

    private static int sameBefore(int steps, int k, int stride, int dilation) {
        int out = (steps + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - steps, 0);
        return total / 2;
    }

    private static int outSteps(int steps, int k, int stride, int dilation, Padding padding) {
        return padding == Padding.SAME ? (steps + stride - 1) / stride
                : (steps - (k - 1) * dilation - 1) / stride + 1;
    }

    static float[] conv1d(float[] a, int steps, int ch, LayerSpec.Conv1D c, float[] w, float[] b) {
        int outSteps = outSteps(steps, c.kernel(), c.stride(), c.dilation(), c.padding());
        int before = c.padding() == Padding.SAME ? sameBefore(steps, c.kernel(), c.stride(), c.dilation()) : 0;
        float[] out = new float[outSteps * c.filters()];
        for (int t = 0; t < outSteps; t++) {
            for (int f = 0; f < c.filters(); f++) {
                double s = b[f];
                for (int k = 0; k < c.kernel(); k++) {
                    int src = t * c.stride() - before + k * c.dilation();
                    if (src < 0 || src >= steps) {
                        continue;
                    }
                    for (int q = 0; q < ch; q++) {
                        s += (double) w[(f * c.kernel() + k) * ch + q] * a[src * ch + q];
                    }
                }
                out[t * c.filters() + f] = (float) s;
            }
        }
        return out;
    }

    static float[] pool(float[] a, int steps, int ch, int window, int stride, Padding padding, boolean max) {
        int outSteps = outSteps(steps, window, stride, 1, padding);
        int before = padding == Padding.SAME ? sameBefore(steps, window, stride, 1) : 0;
        float[] out = new float[outSteps * ch];
        for (int t = 0; t < outSteps; t++) {
            for (int q = 0; q < ch; q++) {
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                int count = 0;
                for (int k = 0; k < window; k++) {
                    int src = t * stride - before + k;
                    if (src < 0 || src >= steps) {
                        continue;
                    }
                    acc = max ? Math.max(acc, a[src * ch + q]) : acc + a[src * ch + q];
                    count++;
                }
                out[t * ch + q] = (float) (max ? acc : acc / count);
            }
        }
        return out;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static float[] lstm(float[] a, int steps, int f, int u, float[] w, float[] b, float[] cmin, float[] cmax,
                        int node) {
        double[] h = new double[u];
        double[] c = new double[u];
        float[] out = new float[steps * u];
        int rec = 4 * u * f;
        for (int t = 0; t < steps; t++) {
            double[][] gates = new double[4][u];
            for (int g = 0; g < 4; g++) {
                for (int j = 0; j < u; j++) {
                    double s = b[g * u + j];
                    for (int k = 0; k < f; k++) {
                        s += (double) w[g * u * f + j * f + k] * a[t * f + k];
                    }
                    for (int k = 0; k < u; k++) {
                        s += (double) w[rec + g * u * u + j * u + k] * h[k];
                    }
                    gates[g][j] = s;
                }
            }
            for (int j = 0; j < u; j++) {
                double i = sigmoid(gates[0][j]);
                double fg = sigmoid(gates[1][j]);
                double g = Math.tanh(gates[2][j]);
                double o = sigmoid(gates[3][j]);
                c[j] = fg * c[j] + i * g;
                h[j] = o * Math.tanh(c[j]);
                out[t * u + j] = (float) h[j];
                if (cmin != null) {
                    cmin[node] = Math.min(cmin[node], (float) c[j]);
                    cmax[node] = Math.max(cmax[node], (float) c[j]);
                }
            }
        }
        return out;
    }

    static float[] activation(float[] a, ActivationKind kind, Shape shape) {
        float[] out = new float[a.length];
        switch (kind) {
            case RELU -> {
                for (int k = 0; k < a.length; k++) {
                    out[k] = Math.max(0f, a[k]);
                }
            }
            case RELU6 -> {
                for (int k = 0; k < a.length; k++) {
                    out[k] = Math.min(6f, Math.max(0f, a[k]));
                }
            }
            case TANH -> {
                for (int k = 0; k < a.length; k++) {
                    out[k] = (float) Math.tanh(a[k]);
                }
            }
            case SOFTMAX -> {
                int last = shape.dim(shape.rank() - 1);
                for (int r = 0; r < a.length / last; r++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < last; k++) {
                        m = Math.max(m, a[r * last + k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < last; k++) {
                        sum += Math.exp(a[r * last + k] - m);
                    }
                    for (int k = 0; k < last; k++) {
                        out[r * last + k] = (float) (Math.exp(a[r * last + k] - m) / sum);
                    }
                }
            }
            default -> throw new IllegalArgumentException("no reference for " + kind);
        }
        return out;
    }
}
