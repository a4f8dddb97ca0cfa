package dev.mote.dsl;

import dev.mote.vocabulary.Padding;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shape inference against the real TFLite interpreter: single-layer int8 models with seeded random sizes, kernels,
 * strides, dilations and padding are exported, TFLite's own Prepare recomputes the output tensor, and its size must
 * equal the inferred shape's.
 */
class TfliteShapeOracleTest {

    @Test
    void windowsMatchTfliteOutputSizes() {
        Random random = new Random(20261125L);
        int checked = 0;
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++) {
            int h = 1 + random.nextInt(12);
            int w = 1 + random.nextInt(12);
            int c = 1 + random.nextInt(3);
            int kh = 1 + random.nextInt(5);
            int kw = 1 + random.nextInt(5);
            boolean dilate = random.nextInt(3) == 0;
            int sh = dilate ? 1 : 1 + random.nextInt(3);
            int sw = dilate ? 1 : 1 + random.nextInt(3);
            int dh = dilate ? 1 + random.nextInt(3) : 1;
            int dw = dilate ? 1 + random.nextInt(3) : 1;
            Padding padding = random.nextBoolean() ? Padding.SAME : Padding.VALID;
            ImageLayer in = MicroModel.sequential("oracle").input(h, w, c);
            ImageLayer layer = switch (trial % 4) {
                case 0 -> in.conv2d(1 + random.nextInt(3), kh, kw).stride(sh, sw).dilation(dh, dw).padding(padding);
                case 1 -> in.depthwiseConv2d(kh, kw).depthMultiplier(1 + random.nextInt(2)).stride(sh, sw)
                        .dilation(dh, dw).padding(padding);
                case 2 -> in.maxPool2d(kh, kw).stride(sh, sw).padding(padding);
                default -> in.avgPool2d(kh, kw).stride(sh, sw).padding(padding);
            };
            ModelSpec spec;
            try {
                spec = layer.build();
            } catch (InvalidModelSpecException e) {
                assertEquals(InvalidModelSpecException.Rule.KERNEL_LARGER_THAN_INPUT, e.rule(), e.getMessage());
                assertEquals(Padding.VALID, padding);
                rejected++;
                continue;
            }
            byte[] output = TfliteOracle.runOnce(PlaceholderTflite.export(spec), new byte[h * w * c]);
            assertEquals(SpecChecker.elements(spec.outputShape()), output.length,
                    () -> "TFLite disagrees on " + spec.output().layer() + " over " + spec.inputShape()
                            + ": inferred " + spec.outputShape());
            checked++;
        }
        assertTrue(checked > 250, "checked " + checked);
        assertTrue(rejected > 20, "rejected " + rejected);
    }
}
