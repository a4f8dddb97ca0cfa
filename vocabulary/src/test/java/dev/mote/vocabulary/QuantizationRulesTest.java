package dev.mote.vocabulary;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The converter's int8 parameter arithmetic on hand-checked cases. */
class QuantizationRulesTest {

    @Test
    void rangeStartingAtZeroPutsTheZeroPointAtMinus128() {
        QuantParams p = QuantizationRules.activation(0, 6.2424297);
        assertEquals(-128, p.zeroPoint());
        assertEquals((float) 6.2424297 / 255f, p.scale());
    }

    @Test
    void rangesAreWidenedToIncludeZero() {
        assertEquals(QuantizationRules.activation(0, 4), QuantizationRules.activation(1, 4), "[1, 4] quantizes as [0, 4]");
        QuantParams negative = QuantizationRules.activation(-3, -1);
        assertEquals(127, negative.zeroPoint(), "[-3, -1] quantizes as [-3, 0]");
        assertEquals(3f / 255f, negative.scale());
    }

    @Test
    void symmetricRangeRoundsTheZeroPointHalfAwayFromZero() {
        QuantParams p = QuantizationRules.activation(-1, 1);
        // -128 - (-1) / (2 / 255) = -0.5: rounds away from zero to -1 (Java's Math.round would give 0)
        assertEquals(-1, p.zeroPoint());
        assertEquals(2f / 255f, p.scale());
    }

    @Test
    void tinyRangesAreWidenedToOneMillionth() {
        QuantParams p = QuantizationRules.activation(0, 0);
        assertEquals(((float) 5e-7 - (float) -5e-7) / 255f, p.scale());
        assertTrue(p.zeroPoint() == 0 || p.zeroPoint() == -1, "zero point " + p.zeroPoint());
    }

    @Test
    void nonFiniteRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> QuantizationRules.activation(0, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> QuantizationRules.activation(Double.NaN, 1));
    }

    @Test
    void weightsAreSymmetricPerChannelInTheNarrowRange() {
        float[] w = {0.5f, -1.0f, 0.25f, 2.0f, -0.5f, 1.0f};
        int[] shape = {2, 3};
        float[] perChannel = QuantizationRules.weightScales(w, shape, 0);
        assertArrayEquals(new float[] {2f / 254f, 4f / 254f}, perChannel);
        assertArrayEquals(new byte[] {64, -127, 32, 127, -32, 64}, QuantizationRules.quantizeWeights(w, shape, 0,
                perChannel));
        float[] lastAxis = QuantizationRules.weightScales(w, new int[] {1, 2, 3}, 2);
        assertArrayEquals(new float[] {4f / 254f, 2f / 254f, 2f / 254f}, lastAxis, "axis 3 of depthwise weights");
        float[] perTensor = QuantizationRules.weightScales(w, shape, -1);
        assertArrayEquals(new float[] {4f / 254f}, perTensor);
    }

    @Test
    void biasUsesInputTimesWeightScaleAndRoundsHalfAwayFromZero() {
        float[] scales = QuantizationRules.biasScales(0.5f, new float[] {0.25f});
        assertArrayEquals(new float[] {0.125f}, scales);
        assertArrayEquals(new int[] {3, -3, 0}, QuantizationRules.quantizeBias(new float[] {0.3125f, -0.3125f, 0.01f},
                scales));
        assertArrayEquals(new int[] {Integer.MAX_VALUE, -Integer.MAX_VALUE},
                QuantizationRules.quantizeBias(new float[] {1e30f, -1e30f}, scales), "saturates to ±(2^31 - 1)");
    }

    @Test
    void deadChannelWithBiasGetsAWiderWeightScaleSoTheBiasFits() {
        float[] scales = QuantizationRules.weightScales(new float[] {0f, 0f, 1f, 1f}, new int[] {2, 2}, 0);
        float[] fitted = QuantizationRules.fitBias(scales, new float[] {100f, 0.1f}, 0.001f);
        assertTrue(fitted[0] > scales[0], "the dead channel's scale grows");
        assertEquals(scales[1], fitted[1], "the live channel keeps its scale");
        int[] q = QuantizationRules.quantizeBias(new float[] {100f, 0.1f}, QuantizationRules.biasScales(0.001f, fitted));
        assertTrue(q[0] < Integer.MAX_VALUE && q[0] > 2_000_000_000, "bias " + q[0] + " fits int32");
    }

    @Test
    void cellStateIsInt16SymmetricWithTheSmallestCoveringPowerOfTwo() {
        // TFLite's quantizer: 2^p / 32768 with p the smallest of 0..10 whose 2^p covers max(|min|, |max|)
        assertEquals(new QuantParams((float) Math.scalb(1.0, -15), 0), QuantizationRules.cellState(-0.3, 0.7));
        assertEquals(new QuantParams((float) Math.scalb(1.0, -15), 0), QuantizationRules.cellState(-1, 1));
        assertEquals(new QuantParams((float) Math.scalb(1.0, -14), 0), QuantizationRules.cellState(-1.01, 0));
        assertEquals(new QuantParams((float) Math.scalb(1.0, -12), 0), QuantizationRules.cellState(0, 5));
        assertEquals(new QuantParams((float) Math.scalb(1.0, -5), 0), QuantizationRules.cellState(-5000, 3));
        assertEquals(new QuantParams((float) Math.scalb(1.0, -15), 0), QuantizationRules.cellState(0, 0));
        assertThrows(IllegalArgumentException.class, () -> QuantizationRules.cellState(0, Double.NaN));
    }
}
