package dev.mote.trainer;

/**
 * The float LSTM of TFLite's UNIDIRECTIONAL_SEQUENCE_LSTM in Java, on parameters in TFLite's layout (see
 * {@link TfliteLayout}: the eight gate matrices and four gate biases in operand order), for what DL4J does not
 * expose: the cell state {@code c_t} of every step. Calibration ({@link Calibrator}) and QAT ({@link CellStateTap})
 * take the cell-state range from here. Gates {@code i, f, o = sigmoid(W x_t + R h_{t-1} + b)},
 * {@code g = tanh(W_c x_t + R_c h_{t-1} + b_c)}, {@code c_t = f * c_{t-1} + i * g}, {@code h_t = o * tanh(c_t)},
 * with {@code h_0 = c_0 = 0}.
 */
final class LstmForward {

    private LstmForward() {
    }

    /**
     * Runs {@code n} sequences and widens {@code minMax} ({@code [min, max]}) to every cell state value of every step.
     *
     * @param x {@code [n, steps, features]} row-major (TFLite layout)
     */
    static void cellStateRange(float[] weights, float[] bias, int units, int features, float[] x, int n, int steps,
                               float[] minMax) {
        int u = units;
        int recurrentAt = 4 * u * features;
        float[] h = new float[u];
        float[] c = new float[u];
        float[] z = new float[4 * u];
        float lo = minMax[0];
        float hi = minMax[1];
        for (int e = 0; e < n; e++) {
            java.util.Arrays.fill(h, 0f);
            java.util.Arrays.fill(c, 0f);
            for (int t = 0; t < steps; t++) {
                int xAt = (e * steps + t) * features;
                for (int g = 0; g < 4; g++) {
                    for (int o = 0; o < u; o++) {
                        float sum = bias[g * u + o];
                        int wAt = (g * u + o) * features;
                        for (int j = 0; j < features; j++) {
                            sum += weights[wAt + j] * x[xAt + j];
                        }
                        int rAt = recurrentAt + (g * u + o) * u;
                        for (int j = 0; j < u; j++) {
                            sum += weights[rAt + j] * h[j];
                        }
                        z[g * u + o] = sum;
                    }
                }
                for (int o = 0; o < u; o++) {
                    float in = sigmoid(z[o]);
                    float forget = sigmoid(z[u + o]);
                    float cell = (float) Math.tanh(z[2 * u + o]);
                    float out = sigmoid(z[3 * u + o]);
                    c[o] = forget * c[o] + in * cell;
                    h[o] = out * (float) Math.tanh(c[o]);
                    lo = Math.min(lo, c[o]);
                    hi = Math.max(hi, c[o]);
                }
            }
        }
        minMax[0] = lo;
        minMax[1] = hi;
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }
}
