package dev.mote.runtime.format;

import java.util.Arrays;

/**
 * A tensor's quantization parameters: {@code real = scale * (q - zeroPoint)}, per tensor (one scale) or per
 * channel along {@link #quantizedDimension()}.
 *
 * <pre>{@code
 * Quantization q = Quantization.perTensor(0.0244f, -128);
 * }</pre>
 */
public final class Quantization {
    /** No quantization parameters (float tensors, shape tensors). */
    public static final Quantization NONE = new Quantization(new float[0], new long[0], 0, new float[0], new float[0]);

    private final float[] scale;
    private final long[] zeroPoint;
    private final int quantizedDimension;
    private final float[] min;
    private final float[] max;

    public Quantization(float[] scale, long[] zeroPoint, int quantizedDimension, float[] min, float[] max) {
        this.scale = scale.clone();
        this.zeroPoint = zeroPoint.clone();
        this.quantizedDimension = quantizedDimension;
        this.min = min.clone();
        this.max = max.clone();
    }

    public static Quantization perTensor(float scale, long zeroPoint) {
        return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0, new float[0], new float[0]);
    }

    public static Quantization perChannel(float[] scales, long[] zeroPoints, int quantizedDimension) {
        return new Quantization(scales, zeroPoints, quantizedDimension, new float[0], new float[0]);
    }

    /** True if there is at least one scale. */
    public boolean isQuantized() {
        return scale.length > 0;
    }

    public int channelCount() {
        return scale.length;
    }

    public float[] scales() {
        return scale.clone();
    }

    public long[] zeroPoints() {
        return zeroPoint.clone();
    }

    /** The first scale (the only one of a per-tensor quantization). */
    public float scale() {
        return scale.length == 0 ? 0f : scale[0];
    }

    /** The first zero point (the only one of a per-tensor quantization). */
    public long zeroPoint() {
        return zeroPoint.length == 0 ? 0 : zeroPoint[0];
    }

    public float scale(int channel) {
        return scale[channel];
    }

    public long zeroPoint(int channel) {
        return zeroPoint[channel];
    }

    public int quantizedDimension() {
        return quantizedDimension;
    }

    public float[] min() {
        return min.clone();
    }

    public float[] max() {
        return max.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantization q && Arrays.equals(scale, q.scale) && Arrays.equals(zeroPoint, q.zeroPoint)
                && quantizedDimension == q.quantizedDimension && Arrays.equals(min, q.min) && Arrays.equals(max, q.max);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scale) * 31 + Arrays.hashCode(zeroPoint);
    }

    @Override
    public String toString() {
        if (!isQuantized()) {
            return "none";
        }
        if (scale.length == 1) {
            return "scale=" + scale[0] + " zero_point=" + zeroPoint();
        }
        return "per-channel(" + scale.length + " on axis " + quantizedDimension + ")";
    }
}
