package dev.mote.dsl;

import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;

import static dev.mote.vocabulary.Padding.SAME;
import static dev.mote.vocabulary.Padding.VALID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shape inference against shapes computed by hand from TFLite's formulas: SAME gives {@code ceil(in / stride)},
 * VALID gives {@code floor((in - k_eff) / stride) + 1} with {@code k_eff = (k - 1) * dilation + 1}.
 */
class ShapeInferenceTest {

    private static ImageLayer image(int h, int w, int c) {
        return MicroModel.sequential("shapes").input(h, w, c);
    }

    private static int[] out(Layer<?> layer) {
        return layer.build().outputShape().dims();
    }

    @Test
    void convValidStride1ShrinksByKernelMinusOne() {
        // 7 - 3 + 1 = 5
        assertArrayEquals(new int[] {5, 5, 4}, out(image(7, 7, 3).conv2d(4, 3, 3)));
    }

    @Test
    void convSameStride1KeepsTheSize() {
        assertArrayEquals(new int[] {7, 7, 4}, out(image(7, 7, 3).conv2d(4, 3, 3).padding(SAME)));
    }

    @Test
    void convValidStride2RoundsDown() {
        // (7 - 3) / 2 + 1 = 3; (8 - 3) / 2 + 1 = 2 + 1 = 3 (2.5 rounds down)
        assertArrayEquals(new int[] {3, 3, 2}, out(image(7, 7, 1).conv2d(2, 3, 3).stride(2)));
        assertArrayEquals(new int[] {3, 3, 2}, out(image(8, 8, 1).conv2d(2, 3, 3).stride(2)));
        // (9 - 3) / 2 + 1 = 4
        assertArrayEquals(new int[] {4, 4, 2}, out(image(9, 9, 1).conv2d(2, 3, 3).stride(2)));
    }

    @Test
    void convSameStride2RoundsUp() {
        // ceil(7 / 2) = 4, ceil(8 / 2) = 4, ceil(9 / 2) = 5
        assertArrayEquals(new int[] {4, 4, 2}, out(image(7, 7, 1).conv2d(2, 3, 3).stride(2).padding(SAME)));
        assertArrayEquals(new int[] {4, 4, 2}, out(image(8, 8, 1).conv2d(2, 3, 3).stride(2).padding(SAME)));
        assertArrayEquals(new int[] {5, 5, 2}, out(image(9, 9, 1).conv2d(2, 3, 3).stride(2).padding(SAME)));
    }

    @Test
    void convDilation2WidensTheKernel() {
        // 3x3 dilated by 2 covers 5x5: VALID 7 -> 3, 9 -> 5; SAME keeps 7
        assertArrayEquals(new int[] {3, 3, 1}, out(image(7, 7, 1).conv2d(1, 3, 3).dilation(2)));
        assertArrayEquals(new int[] {5, 5, 1}, out(image(9, 9, 1).conv2d(1, 3, 3).dilation(2)));
        assertArrayEquals(new int[] {7, 7, 1}, out(image(7, 7, 1).conv2d(1, 3, 3).dilation(2).padding(SAME)));
        // per axis: dilation (2, 1) on a 3x3 kernel covers 5x3: VALID 8x8 -> 4x6
        assertArrayEquals(new int[] {4, 6, 1}, out(image(8, 8, 1).conv2d(1, 3, 3).dilation(2, 1)));
    }

    @Test
    void nonSquareKernelsAndStridesWorkPerAxis() {
        // kernel 5x3 VALID on 10x6: 6 x 4
        assertArrayEquals(new int[] {6, 4, 2}, out(image(10, 6, 1).conv2d(2, 5, 3)));
        // stride (2, 1), kernel 3x3 VALID on 9x9: (9-3)/2+1 = 4, 9-3+1 = 7
        assertArrayEquals(new int[] {4, 7, 2}, out(image(9, 9, 1).conv2d(2, 3, 3).stride(2, 1)));
        // micro_speech's first layer: 10x8 kernel, stride 2, SAME on 49x40: ceil(49/2) = 25, ceil(40/2) = 20
        assertArrayEquals(new int[] {25, 20, 8}, out(image(49, 40, 1).conv2d(8, 10, 8).stride(2).padding(SAME)));
    }

    @Test
    void depthwiseMultipliesChannels() {
        // VALID 3x3 on 8x8x3 with multiplier 2: 6 x 6 x 6
        assertArrayEquals(new int[] {6, 6, 6}, out(image(8, 8, 3).depthwiseConv2d(3, 3).depthMultiplier(2)));
        // SAME stride 2: ceil(8/2) = 4
        assertArrayEquals(new int[] {4, 4, 3}, out(image(8, 8, 3).depthwiseConv2d(3, 3).stride(2).padding(SAME)));
        // dilation 2, VALID on 8x8: 8 - 5 + 1 = 4
        assertArrayEquals(new int[] {4, 4, 3}, out(image(8, 8, 3).depthwiseConv2d(3, 3).dilation(2)));
    }

    @Test
    void poolingDefaultsToStrideEqualToTheWindow() {
        // 2x2 stride 2 VALID on 5x5: (5-2)/2+1 = 2; SAME: ceil(5/2) = 3
        assertArrayEquals(new int[] {2, 2, 4}, out(image(5, 5, 4).maxPool2d(2, 2)));
        assertArrayEquals(new int[] {3, 3, 4}, out(image(5, 5, 4).maxPool2d(2, 2).padding(SAME)));
        // 3x3 stride 2 VALID on 7x7: (7-3)/2+1 = 3
        assertArrayEquals(new int[] {3, 3, 4}, out(image(7, 7, 4).avgPool2d(3, 3).stride(2)));
        // 3x3 stride 1 SAME keeps 5x5
        assertArrayEquals(new int[] {5, 5, 4}, out(image(5, 5, 4).avgPool2d(3, 3).stride(1).padding(SAME)));
        // a window over the whole map
        assertArrayEquals(new int[] {1, 1, 32}, out(image(25, 5, 32).avgPool2d(25, 5)));
    }

    @Test
    void zeroPaddingGrowsHeightAndWidth() {
        // 5 + 1 + 2 = 8 rows, 5 + 3 + 4 = 12 columns
        ImageLayer padded = image(5, 5, 2).zeroPad2d(1, 2, 3, 4);
        assertArrayEquals(new int[] {8, 12, 2}, out(padded));
        // a 3x3 VALID conv on the padded 8x12: 6 x 10
        assertArrayEquals(new int[] {6, 10, 3}, out(image(5, 5, 2).zeroPad2d(1, 2, 3, 4).conv2d(3, 3, 3)));
        assertArrayEquals(new int[] {7, 7, 2}, out(image(5, 5, 2).zeroPad2d(1)));
    }

    @Test
    void reductionsAndReshapes() {
        assertArrayEquals(new int[] {7}, out(image(6, 6, 7).globalAvgPool2d()));
        assertArrayEquals(new int[] {60}, out(image(4, 5, 3).flatten()));
        assertArrayEquals(new int[] {1960}, out(MicroModel.sequential("s").input(49, 40).flatten()));
        assertArrayEquals(new int[] {49, 40, 1}, out(MicroModel.sequential("s").input(1960).reshape(49, 40, 1)));
        assertArrayEquals(new int[] {20, 3}, out(image(4, 5, 3).reshape(20, 3)));
        assertArrayEquals(new int[] {10}, out(MicroModel.sequential("s").input(3).dense(10)));
    }

    @Test
    void elementwiseLayersKeepTheShape() {
        assertArrayEquals(new int[] {4, 4, 3}, out(image(4, 4, 3).relu().relu6().tanh().sigmoid().leakyRelu(0.1f)
                .hardSwish().dropout(0.5)));
        assertArrayEquals(new int[] {5, 5, 2}, out(image(7, 7, 1).conv2d(2, 3, 3).batchNorm()));
    }

    @Test
    void branchesJoinOnTheLastAxis() {
        MicroModel g = MicroModel.graph("branches");
        ImageLayer x = g.input(8, 8, 3);
        ImageLayer a = x.conv2d(5, 3, 3).padding(SAME);
        ImageLayer b = x.maxPool2d(3, 3).stride(1).padding(SAME);
        assertArrayEquals(new int[] {8, 8, 8}, out(g.concatenate(a, b)));

        MicroModel g2 = MicroModel.graph("residual");
        ImageLayer y = g2.input(8, 8, 4);
        assertArrayEquals(new int[] {8, 8, 4}, out(g2.add(y, y.conv2d(4, 3, 3).padding(SAME))));

        MicroModel g3 = MicroModel.graph("vectors");
        FlatLayer v = g3.input(6);
        assertArrayEquals(new int[] {11}, out(g3.concatenate(v.dense(5), v.dense(3), v.dense(3))));
    }

    @Test
    void tflitePaddingPutsTheOddZeroAfter() {
        // SAME 3x3 stride 2 on 8: out 4, total padding (4-1)*2 + 3 - 8 = 1: none before, one after
        assertEquals(1, Windows.totalPadding(SAME, 8, 3, 2, 1));
        assertEquals(0, Windows.paddingBefore(SAME, 8, 3, 2, 1));
        // SAME 3x3 stride 1 on 7: total 2, one on each side
        assertEquals(2, Windows.totalPadding(SAME, 7, 3, 1, 1));
        assertEquals(1, Windows.paddingBefore(SAME, 7, 3, 1, 1));
        // SAME 3x3 dilation 2 on 7: k_eff 5, total 4, two before
        assertEquals(2, Windows.paddingBefore(SAME, 7, 3, 1, 2));
        // SAME with a stride larger than the kernel can need no padding at all: 1x1 stride 2 on 7 -> 4
        assertEquals(0, Windows.totalPadding(SAME, 7, 1, 2, 1));
        assertEquals(0, Windows.totalPadding(Padding.VALID, 7, 3, 1, 1));
        assertEquals(4, Windows.outputSize(VALID, 7, 1, 2, 1));
    }
}
