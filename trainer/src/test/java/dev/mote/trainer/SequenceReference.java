package dev.mote.trainer;

/**
 * A test-side float reference of the sequence layers, written from the textbook equations on TFLite's layouts (as
 * {@code dev.mote.dsl.LayerSpec} documents them), in double precision, sharing no code with the trainer: it is the
 * oracle that DL4J's predictions (through the trainer's layout mapping) must reproduce.
 */
final class SequenceReference {

    private SequenceReference() {
    }

    /** An LSTM's outputs {@code h} and cell states {@code c}, each {@code [steps][units]}. */
    record LstmRun(double[][] h, double[][] c) {
    }

    /**
     * Keras/TFLite LSTM on {@code x [steps][features]}: weights are input_to_{input, forget, cell, output}
     * {@code [units, features]}, then recurrent_to_{input, forget, cell, output} {@code [units, units]}, row-major and
     * concatenated; bias the four gate biases in the same order.
     */
    static LstmRun lstm(double[][] x, float[] weights, float[] bias, int units) {
        int steps = x.length;
        int features = x[0].length;
        double[][] h = new double[steps][units];
        double[][] c = new double[steps][units];
        double[] hPrev = new double[units];
        double[] cPrev = new double[units];
        for (int t = 0; t < steps; t++) {
            double[][] gate = new double[4][units];
            for (int g = 0; g < 4; g++) {
                for (int o = 0; o < units; o++) {
                    double z = bias[g * units + o];
                    for (int j = 0; j < features; j++) {
                        z += inputWeight(weights, g, o, j, units, features) * x[t][j];
                    }
                    for (int j = 0; j < units; j++) {
                        z += recurrentWeight(weights, g, o, j, units, features) * hPrev[j];
                    }
                    gate[g][o] = z;
                }
            }
            for (int o = 0; o < units; o++) {
                double i = sigmoid(gate[0][o]);
                double f = sigmoid(gate[1][o]);
                double g = Math.tanh(gate[2][o]);
                double out = sigmoid(gate[3][o]);
                c[t][o] = f * cPrev[o] + i * g;
                h[t][o] = out * Math.tanh(c[t][o]);
            }
            hPrev = h[t];
            cPrev = c[t];
        }
        return new LstmRun(h, c);
    }

    private static double inputWeight(float[] w, int gate, int unit, int feature, int units, int features) {
        return w[gate * units * features + unit * features + feature];
    }

    private static double recurrentWeight(float[] w, int gate, int unit, int from, int units, int features) {
        return w[4 * units * features + gate * units * units + unit * units + from];
    }

    /**
     * A 1-D convolution, weights {@code [filters, 1, kernel, channels]}; SAME pads as TensorFlow (the extra zero at
     * the end).
     */
    static double[][] conv1d(double[][] x, float[] w, float[] b, int filters, int kernel, int stride, int dilation,
                             boolean same) {
        int steps = x.length;
        int channels = x[0].length;
        int span = (kernel - 1) * dilation + 1;
        int out = same ? (steps + stride - 1) / stride : (steps - span) / stride + 1;
        int padBefore = same ? Math.max(0, ((out - 1) * stride + span - steps) / 2) : 0;
        double[][] y = new double[out][filters];
        for (int t = 0; t < out; t++) {
            for (int f = 0; f < filters; f++) {
                double sum = b[f];
                for (int k = 0; k < kernel; k++) {
                    int at = t * stride + k * dilation - padBefore;
                    if (at < 0 || at >= steps) {
                        continue;
                    }
                    for (int ch = 0; ch < channels; ch++) {
                        sum += w[(f * kernel + k) * channels + ch] * x[at][ch];
                    }
                }
                y[t][f] = sum;
            }
        }
        return y;
    }

    /** FULLY_CONNECTED, weights {@code [units, in]}, on one vector. */
    static double[] dense(double[] x, float[] w, float[] b, int units) {
        double[] y = new double[units];
        for (int o = 0; o < units; o++) {
            double sum = b[o];
            for (int j = 0; j < x.length; j++) {
                sum += w[o * x.length + j] * x[j];
            }
            y[o] = sum;
        }
        return y;
    }

    /** Dense applied to every step. */
    static double[][] densePerStep(double[][] x, float[] w, float[] b, int units) {
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            y[t] = dense(x[t], w, b, units);
        }
        return y;
    }

    static double[][] relu(double[][] x) {
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            y[t] = x[t].clone();
            for (int j = 0; j < y[t].length; j++) {
                y[t][j] = Math.max(0, y[t][j]);
            }
        }
        return y;
    }

    /** VALID pooling over windows of {@code pool} steps with stride {@code pool}. */
    static double[][] pool1d(double[][] x, int pool, boolean max) {
        int out = x.length / pool;
        double[][] y = new double[out][x[0].length];
        for (int t = 0; t < out; t++) {
            for (int ch = 0; ch < x[0].length; ch++) {
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                for (int k = 0; k < pool; k++) {
                    double v = x[t * pool + k][ch];
                    acc = max ? Math.max(acc, v) : acc + v / pool;
                }
                y[t][ch] = acc;
            }
        }
        return y;
    }

    static double[] globalAverage(double[][] x) {
        double[] y = new double[x[0].length];
        for (double[] step : x) {
            for (int ch = 0; ch < y.length; ch++) {
                y[ch] += step[ch] / x.length;
            }
        }
        return y;
    }

    /** Step-major, features fastest (TFLite's RESHAPE). */
    static double[] flatten(double[][] x) {
        double[] y = new double[x.length * x[0].length];
        for (int t = 0; t < x.length; t++) {
            System.arraycopy(x[t], 0, y, t * x[0].length, x[0].length);
        }
        return y;
    }

    /** Example {@code values} ({@code steps * features}, step-major) as {@code [steps][features]}. */
    static double[][] sequence(float[] values, int steps, int features) {
        double[][] x = new double[steps][features];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < features; j++) {
                x[t][j] = values[t * features + j];
            }
        }
        return x;
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
