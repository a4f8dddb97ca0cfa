package dev.mote.vocabulary;

/**
 * Per-tensor affine integer parameters: {@code real = scale × (q - zeroPoint)}.
 *
 * <pre>{@code
 * QuantParams p = QuantizationRules.activation(-1.0, 3.0);   // scale 4/255, zero point -64
 * float x = p.dequantize(0);                                  // 64 × 4/255
 * }</pre>
 */
public record QuantParams(float scale, int zeroPoint) {

    /** The real value of integer {@code q}. */
    public float dequantize(int q) {
        return (q - zeroPoint) * scale;
    }
}
