package dev.mote.dsl;

import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequence layers' shapes follow Keras' (`Conv1D`, `MaxPooling1D`, `AveragePooling1D`,
 * `GlobalAveragePooling1D`, `LSTM(return_sequences=True)`, `x[:, -1]`, `Dense` on a 3-D input), computed by hand
 * here, and every invalid choice fails at declaration naming the layer.
 */
class SequenceLayersTest {

    private static Shape shapeOf(ModelSpec spec, int node) {
        return spec.node(node).outputShape();
    }

    @Test
    void conv1dShapesFollowKeras() {
        // VALID: floor((128 - 5) / 1) + 1 = 124; SAME stride 2: ceil(128 / 2) = 64; dilation 2, k 3: 128 - 4 = 124
        ModelSpec spec = MicroModel.sequential("m").input(128, 3)
                .conv1d(8, 5)
                .conv1d(6, 3).stride(2).padding(Padding.SAME)
                .conv1d(4, 3).dilation(2)
                .globalAvgPool1d()
                .build();
        assertEquals(Shape.of(124, 8), shapeOf(spec, 1));
        assertEquals(Shape.of(62, 6), shapeOf(spec, 2));
        assertEquals(Shape.of(58, 4), shapeOf(spec, 3));
        assertEquals(Shape.of(4), shapeOf(spec, 4));
    }

    @Test
    void poolingShapesFollowKeras() {
        // max 2 (stride 2) on 25 steps: 12; avg 3 stride 1 SAME: 12; avg 5 stride 2 VALID: floor((12 - 5) / 2) + 1 = 4
        ModelSpec spec = MicroModel.sequential("m").input(25, 4)
                .maxPool1d(2)
                .avgPool1d(3).stride(1).padding(Padding.SAME)
                .avgPool1d(5).stride(2)
                .flatten()
                .build();
        assertEquals(Shape.of(12, 4), shapeOf(spec, 1));
        assertEquals(Shape.of(12, 4), shapeOf(spec, 2));
        assertEquals(Shape.of(4, 4), shapeOf(spec, 3));
        assertEquals(Shape.of(16), shapeOf(spec, 4));
    }

    @Test
    void lstmReturnsEveryStepAndLastStepTheFinalOne() {
        ModelSpec spec = MicroModel.sequential("m").input(28, 28)
                .lstm(20)
                .dense(7).relu()
                .lastStep()
                .dense(10).softmax()
                .build();
        assertEquals(Shape.of(28, 20), shapeOf(spec, 1));
        assertEquals(Shape.of(28, 7), shapeOf(spec, 2));
        assertEquals(Shape.of(7), shapeOf(spec, 4));
        assertEquals(Shape.of(10), spec.outputShape());
        assertEquals("lstm", spec.node(1).name());
        assertEquals("last_step", spec.node(4).name());
    }

    @Test
    void batchNormFoldsIntoConv1d() {
        ModelSpec spec = MicroModel.sequential("m").input(16, 2).conv1d(4, 3).withoutBias().batchNorm().relu()
                .flatten().dense(2).build();
        assertEquals(Shape.of(14, 4), shapeOf(spec, 2));
    }

    @Test
    void kernelLongerThanTheSequenceFailsInStepWords() {
        InvalidModelSpecException e = assertThrows(InvalidModelSpecException.class,
                () -> MicroModel.sequential("m").input(4, 3).conv1d(8, 5).flatten().dense(2).build());
        assertEquals(InvalidModelSpecException.Rule.KERNEL_LARGER_THAN_INPUT, e.rule());
        assertEquals(1, e.layerIndex());
        assertTrue(e.getMessage().contains("5 steps") && e.getMessage().contains("4 steps"), e.getMessage());

        InvalidModelSpecException dilated = assertThrows(InvalidModelSpecException.class,
                () -> MicroModel.sequential("m").input(8, 3).conv1d(8, 3).dilation(4).flatten().dense(2).build());
        assertTrue(dilated.getMessage().contains("dilated to 9"), dilated.getMessage());

        InvalidModelSpecException pool = assertThrows(InvalidModelSpecException.class,
                () -> MicroModel.sequential("m").input(3, 3).maxPool1d(4).flatten().dense(2).build());
        assertEquals(InvalidModelSpecException.Rule.KERNEL_LARGER_THAN_INPUT, pool.rule());
    }

    @Test
    void nonPositiveSizesFail() {
        assertRule(InvalidModelSpecException.Rule.NON_POSITIVE_SIZE,
                () -> MicroModel.sequential("m").input(8, 3).conv1d(0, 3).flatten().dense(2).build());
        assertRule(InvalidModelSpecException.Rule.NON_POSITIVE_SIZE,
                () -> MicroModel.sequential("m").input(8, 3).conv1d(4, 3).stride(0).flatten().dense(2).build());
        assertRule(InvalidModelSpecException.Rule.NON_POSITIVE_SIZE,
                () -> MicroModel.sequential("m").input(8, 3).lstm(0).lastStep().dense(2).build());
        assertRule(InvalidModelSpecException.Rule.NON_POSITIVE_SIZE,
                () -> MicroModel.sequential("m").input(8, 3).dense(-1).flatten().dense(2).build());
    }

    @Test
    void strideWithDilationFailsAsInTensorFlow() {
        assertRule(InvalidModelSpecException.Rule.UNSUPPORTED_STRIDE_DILATION, () -> MicroModel.sequential("m")
                .input(32, 3).conv1d(4, 3).stride(2).dilation(2).flatten().dense(2).build());
    }

    private static void assertRule(InvalidModelSpecException.Rule rule, org.junit.jupiter.api.function.Executable e) {
        InvalidModelSpecException thrown = assertThrows(InvalidModelSpecException.class, e);
        assertEquals(rule, thrown.rule(), thrown.getMessage());
    }
}
