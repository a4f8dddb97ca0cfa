package dev.mote.dsl;

import dev.mote.vocabulary.BuiltinOperator;
import org.junit.jupiter.api.Test;

import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conv2dTranspose against hand-computed Keras Conv2DTranspose shapes: VALID {@code (in - 1) * stride + k}, SAME
 * {@code in * stride}; declaration errors name the layer.
 */
class Conv2DTransposeTest {

    private static ImageLayer image(int h, int w, int c) {
        return MicroModel.sequential("tconv").input(h, w, c);
    }

    private static int[] out(Layer<?> layer) {
        return layer.build().outputShape().dims();
    }

    @Test
    void validShapes() {
        // stride 1: 4 - 1 + 3 = 6
        assertArrayEquals(new int[] {6, 6, 2}, out(image(4, 4, 1).conv2dTranspose(2, 3, 3)));
        // stride 2: (4 - 1) * 2 + 3 = 9; (5 - 1) * 2 + 2 = 10
        assertArrayEquals(new int[] {9, 10, 3}, out(image(4, 5, 1).conv2dTranspose(3, 3, 2).stride(2)));
        // strides (3, 1), kernel 2x4 on 2x3: (2 - 1) * 3 + 2 = 5; (3 - 1) * 1 + 4 = 6
        assertArrayEquals(new int[] {5, 6, 1}, out(image(2, 3, 4).conv2dTranspose(1, 2, 4).stride(3, 1)));
    }

    @Test
    void sameShapes() {
        assertArrayEquals(new int[] {8, 8, 4}, out(image(4, 4, 2).conv2dTranspose(4, 3, 3).stride(2).padding(SAME)));
        assertArrayEquals(new int[] {3, 5, 1}, out(image(3, 5, 2).conv2dTranspose(1, 3, 3).padding(SAME)));
        // kernel smaller than stride: still in * stride (3 * 3 = 9, 2 * 2 = 4)
        assertArrayEquals(new int[] {9, 4, 2},
                out(image(3, 2, 1).conv2dTranspose(2, 1, 1).stride(3, 2).padding(SAME)));
    }

    @Test
    void autoencoderShapesAndLowering() {
        ModelSpec spec = image(8, 8, 1).conv2d(4, 3, 3).stride(2).padding(SAME).relu()
                .conv2dTranspose(2, 3, 3).stride(2).padding(SAME).relu()
                .conv2d(1, 3, 3).padding(SAME).build();
        assertArrayEquals(new int[] {8, 8, 1}, spec.outputShape().dims());
        ModelSummary.Row row = spec.summary().rows().get(3);
        assertEquals("conv2d_transpose", row.name());
        assertEquals("Conv2DTranspose", row.type());
        assertEquals(BuiltinOperator.TRANSPOSE_CONV.name(), row.tfliteOp());
        // MACs = in_h * in_w * inC * kH * kW * outC = 4 * 4 * 4 * 3 * 3 * 2
        assertEquals(4L * 4 * 4 * 3 * 3 * 2, row.macs());
        // weights [2, 3, 3, 4] = 72 + bias 2 * 4 bytes
        assertEquals(72 + 8, row.flashBytes());
        assertEquals(72 + 2, row.params());
        // int8 output 8 * 8 * 2
        assertEquals(128, row.activationBytes());
        // the ReLU after it is its own operator (fusing would make TRANSPOSE_CONV version 4, TFLite >= 2.13)
        assertEquals(Lowering.Role.OP, Lowering.of(spec).role(4));
        assertEquals("RELU", spec.summary().rows().get(4).tfliteOp());
    }

    @Test
    void withoutBiasHasNoBias() {
        ModelSpec spec = image(4, 4, 3).conv2dTranspose(2, 2, 2).stride(2).withoutBias().build();
        ModelSummary.Row row = spec.summary().rows().get(1);
        assertEquals(2 * 2 * 2 * 3, row.params());
        assertEquals(2 * 2 * 2 * 3, row.flashBytes());
    }

    @Test
    void declarationErrorsNameTheLayer() {
        InvalidModelSpecException e = assertThrows(InvalidModelSpecException.class,
                () -> image(4, 4, 1).conv2dTranspose(2, 3, 3).stride(0).build());
        assertEquals(InvalidModelSpecException.Rule.NON_POSITIVE_SIZE, e.rule());
        assertEquals(1, e.layerIndex());
        assertEquals("conv2d_transpose", e.layerName());
        assertTrue(e.getMessage().contains("stride height must be >= 1, got 0"), e.getMessage());

        e = assertThrows(InvalidModelSpecException.class,
                () -> image(4, 4, 1).conv2dTranspose(0, 3, 3).build());
        assertEquals(InvalidModelSpecException.Rule.NON_POSITIVE_SIZE, e.rule());
        assertTrue(e.getMessage().contains("filters must be >= 1"), e.getMessage());

        e = assertThrows(InvalidModelSpecException.class,
                () -> image(4, 4, 1).conv2dTranspose(2, 3, -1).named("up").build());
        assertEquals("up", e.layerName());
        assertTrue(e.getMessage().contains("kernel width must be >= 1, got -1"), e.getMessage());

        // output beyond int32: (65536 - 1) * 65536 + 3
        e = assertThrows(InvalidModelSpecException.class,
                () -> image(65536, 1, 1).conv2dTranspose(1, 3, 1).stride(65536, 1).build());
        assertEquals(InvalidModelSpecException.Rule.INT32_OVERFLOW, e.rule());
    }
}
