package dev.mote.trainer;

import dev.mote.vocabulary.Rounding;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.vocabulary.Padding;

/**
 * A plain-Java float forward pass in TFLite semantics (NHWC, TFLite weight layouts, SAME padding as TensorFlow)
 * over {@link ModelParameters}: the independent oracle for the DL4J ↔ TFLite layout conversion.
 */
final class ReferenceForward {

    private ReferenceForward() {
    }

    /** Every node's output for one example (flattened NHWC). */
    static float[][] run(ModelSpec spec, ModelParameters p, float[] input) {
        return run(spec, p, null, input);
    }

    /** The output with every int8 tensor (per {@code q}) fake-quantized at {@code p}'s output range. */
    static float[] runFakeQuant(ModelSpec spec, ModelParameters p, QuantizationChoices q, float[] input) {
        float[][] all = run(spec, p, q, input);
        return all[all.length - 1];
    }

    private static void fakeQuantize(float[] values, ModelParameters p, QuantizationChoices q, int node) {
        if (q == null || !q.isInt8Tensor(node)) {
            return;
        }
        FakeQuant.ActivationParams params = FakeQuant.ActivationParams.of(p.outputRange(node));
        for (int i = 0; i < values.length; i++) {
            int v = (int) Math.max(-128, Math.min(127, Rounding.halfAwayFromZero(values[i] / params.scale())
                    + params.zeroPoint()));
            values[i] = (v - params.zeroPoint()) * params.scale();
        }
    }

    private static float[][] run(ModelSpec spec, ModelParameters p, QuantizationChoices q, float[] input) {
        float[][] out = new float[spec.nodes().size()][];
        out[0] = input.clone();
        fakeQuantize(out[0], p, q, 0);
        for (int i = 1; i < out.length; i++) {
            LayerNode node = spec.node(i);
            int[] ins = node.inputs();
            float[] x = out[ins[0]];
            Shape is = spec.node(ins[0]).outputShape();
            Shape os = node.outputShape();
            LayerSpec l = node.layer();
            if (l instanceof LayerSpec.Dense) {
                out[i] = dense(x, p.weights(i), p.bias(i), os.dim(0));
            } else if (l instanceof LayerSpec.Conv2D c) {
                out[i] = conv(x, is, os, p.weights(i), p.bias(i), c.kernelH(), c.kernelW(), c.strideH(),
                        c.strideW(), c.dilationH(), c.dilationW(), c.padding(), false, 1);
            } else if (l instanceof LayerSpec.DepthwiseConv2D c) {
                out[i] = conv(x, is, os, p.weights(i), p.bias(i), c.kernelH(), c.kernelW(), c.strideH(),
                        c.strideW(), c.dilationH(), c.dilationW(), c.padding(), true, c.depthMultiplier());
            } else if (l instanceof LayerSpec.MaxPool2D m) {
                out[i] = pool(x, is, os, m.poolH(), m.poolW(), m.strideH(), m.strideW(), m.padding(), true);
            } else if (l instanceof LayerSpec.AvgPool2D m) {
                out[i] = pool(x, is, os, m.poolH(), m.poolW(), m.strideH(), m.strideW(), m.padding(), false);
            } else if (l instanceof LayerSpec.GlobalAvgPool2D) {
                out[i] = pool(x, is, Shape.of(1, 1, is.dim(2)), is.dim(0), is.dim(1), 1, 1, Padding.VALID, false);
            } else if (l instanceof LayerSpec.ZeroPad2D z) {
                out[i] = pad(x, is, os, z.top(), z.left());
            } else if (l instanceof LayerSpec.Activation a) {
                out[i] = activation(x, a);
            } else if (l instanceof LayerSpec.Add) {
                out[i] = x.clone();
                for (int k = 1; k < ins.length; k++) {
                    for (int j = 0; j < x.length; j++) {
                        out[i][j] += out[ins[k]][j];
                    }
                }
            } else if (l instanceof LayerSpec.Concatenate) {
                out[i] = concat(spec, out, ins, os);
            } else {
                out[i] = x.clone(); // Flatten, Reshape, Dropout, folded BatchNorm
            }
            fakeQuantize(out[i], p, q, i);
        }
        return out;
    }

    static float[] output(ModelSpec spec, ModelParameters p, float[] input) {
        float[][] all = run(spec, p, input);
        return all[all.length - 1];
    }

    static float[] dense(float[] x, float[] w, float[] b, int units) {
        float[] y = new float[units];
        for (int o = 0; o < units; o++) {
            double s = b[o];
            for (int j = 0; j < x.length; j++) {
                s += (double) w[o * x.length + j] * x[j];
            }
            y[o] = (float) s;
        }
        return y;
    }

    static int padBefore(int in, int out, int k, int stride, int dilation, Padding padding) {
        if (padding == Padding.VALID) {
            return 0;
        }
        int effective = (k - 1) * dilation + 1;
        return Math.max((out - 1) * stride + effective - in, 0) / 2;
    }

    static float[] conv(float[] x, Shape is, Shape os, float[] w, float[] b, int kh, int kw, int sh, int sw,
                        int dh, int dw, Padding padding, boolean depthwise, int multiplier) {
        int ih = is.dim(0), iw = is.dim(1), ic = is.dim(2);
        int oh = os.dim(0), ow = os.dim(1), oc = os.dim(2);
        int pt = padBefore(ih, oh, kh, sh, dh, padding);
        int pl = padBefore(iw, ow, kw, sw, dw, padding);
        float[] y = new float[oh * ow * oc];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < oc; o++) {
                    double s = b[o];
                    for (int ky = 0; ky < kh; ky++) {
                        int yy = oy * sh - pt + ky * dh;
                        for (int kx = 0; kx < kw; kx++) {
                            int xx = ox * sw - pl + kx * dw;
                            if (yy < 0 || yy >= ih || xx < 0 || xx >= iw) {
                                continue;
                            }
                            if (depthwise) {
                                int c = o / multiplier;
                                s += (double) w[(ky * kw + kx) * oc + o] * x[(yy * iw + xx) * ic + c];
                            } else {
                                for (int c = 0; c < ic; c++) {
                                    s += (double) w[((o * kh + ky) * kw + kx) * ic + c] * x[(yy * iw + xx) * ic + c];
                                }
                            }
                        }
                    }
                    y[(oy * ow + ox) * oc + o] = (float) s;
                }
            }
        }
        return y;
    }

    static float[] pool(float[] x, Shape is, Shape os, int kh, int kw, int sh, int sw, Padding padding,
                        boolean max) {
        int ih = is.dim(0), iw = is.dim(1), c = is.dim(2);
        int oh = os.dim(0), ow = os.dim(1);
        int pt = padBefore(ih, oh, kh, sh, 1, padding);
        int pl = padBefore(iw, ow, kw, sw, 1, padding);
        float[] y = new float[oh * ow * c];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int yy = oy * sh - pt + ky;
                            int xx = ox * sw - pl + kx;
                            if (yy < 0 || yy >= ih || xx < 0 || xx >= iw) {
                                continue;
                            }
                            float v = x[(yy * iw + xx) * c + ch];
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    }
                    y[(oy * ow + ox) * c + ch] = (float) (max ? acc : acc / count);
                }
            }
        }
        return y;
    }

    static float[] pad(float[] x, Shape is, Shape os, int top, int left) {
        float[] y = new float[(int) os.elementCount()];
        int c = is.dim(2);
        for (int yy = 0; yy < is.dim(0); yy++) {
            for (int xx = 0; xx < is.dim(1); xx++) {
                System.arraycopy(x, (yy * is.dim(1) + xx) * c, y, ((yy + top) * os.dim(1) + xx + left) * c, c);
            }
        }
        return y;
    }

    static float[] activation(float[] x, LayerSpec.Activation a) {
        float[] y = new float[x.length];
        switch (a.kind()) {
            case SOFTMAX -> {
                double m = Double.NEGATIVE_INFINITY;
                for (float v : x) {
                    m = Math.max(m, v);
                }
                double sum = 0;
                for (int i = 0; i < x.length; i++) {
                    sum += Math.exp(x[i] - m);
                }
                for (int i = 0; i < x.length; i++) {
                    y[i] = (float) (Math.exp(x[i] - m) / sum);
                }
            }
            default -> {
                for (int i = 0; i < x.length; i++) {
                    float v = x[i];
                    y[i] = switch (a.kind()) {
                        case RELU -> Math.max(0, v);
                        case RELU6 -> Math.min(6, Math.max(0, v));
                        case TANH -> (float) Math.tanh(v);
                        case SIGMOID -> (float) (1 / (1 + Math.exp(-v)));
                        case LEAKY_RELU -> v > 0 ? v : a.alpha() * v;
                        case HARD_SWISH -> v * Math.min(6, Math.max(0, v + 3)) / 6;
                        default -> throw new IllegalStateException();
                    };
                }
            }
        }
        return y;
    }

    static float[] concat(ModelSpec spec, float[][] out, int[] ins, Shape os) {
        int positions = (int) (os.elementCount() / os.dim(os.rank() - 1));
        float[] y = new float[(int) os.elementCount()];
        int at = 0;
        for (int pos = 0; pos < positions; pos++) {
            for (int in : ins) {
                int c = spec.node(in).outputShape().dim(os.rank() - 1);
                System.arraycopy(out[in], pos * c, y, at, c);
                at += c;
            }
        }
        return y;
    }
}
