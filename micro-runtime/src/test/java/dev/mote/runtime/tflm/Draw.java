package dev.mote.runtime.tflm;

import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.vocabulary.Activation;

import java.util.Arrays;

/** Random draws shared by the case generators: zero points with their extremes, fused activations, data. */
final class Draw {
    /** The fused activations TFLM's kernels implement (TANH and SIGN_BIT are not fusable there). */
    static final Activation[] FUSED = {Activation.NONE, Activation.RELU, Activation.RELU_N1_TO_1, Activation.RELU6};

    private Draw() {
    }

    /** An int8 zero point: -128 or 127 one time in five each, else uniform. */
    static int zeroPoint(RandomCases r) {
        return switch (r.nextInt(10)) {
            case 0, 1 -> -128;
            case 2, 3 -> 127;
            default -> r.zeroPoint();
        };
    }

    static Activation fused(RandomCases r) {
        return FUSED[r.nextInt(FUSED.length)];
    }

    static Quantization perTensor(RandomCases r, double lo, double hi) {
        return Quantization.perTensor(r.scale(lo, hi), zeroPoint(r));
    }

    /** Uniform int8 data. */
    static byte[] int8s(RandomCases r, int n) {
        return r.int8s(n);
    }

    /** float32 data: Gaussian with standard deviation {@code sd}, raw little-endian bytes. */
    static byte[] floats(RandomCases r, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.random().nextGaussian() * sd);
        }
        return LittleEndian.floats(v);
    }

    static float[] uniform(RandomCases r, int n, double limit) {
        return r.symmetric(n, limit);
    }

    /** int8 weights in [-127, 127] (the converter's symmetric range). */
    static byte[] weights(RandomCases r, int n) {
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) {
            w[i] = (byte) (r.nextInt(255) - 127);
        }
        return w;
    }

    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static String shape(int[] shape) {
        return Arrays.toString(shape);
    }
}
