package dev.mote.dsl.plan;

import dev.mote.dsl.ImageLayer;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.FixedRange;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mote.vocabulary.BuiltinOperator.CONCATENATION;
import static dev.mote.vocabulary.BuiltinOperator.CONV_2D;
import static dev.mote.vocabulary.BuiltinOperator.FULLY_CONNECTED;
import static dev.mote.vocabulary.BuiltinOperator.MEAN;
import static dev.mote.vocabulary.BuiltinOperator.QUANTIZE;
import static dev.mote.vocabulary.BuiltinOperator.TANH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The plan's rules on hand-checked graphs (the export and QAT tests check it against TFLite and the trainer). */
class TensorPlanTest {

    @Test
    void aFixedRangeInputOfAConcatenationIsRequantizedAndAFreeOneTakesTheConcatenationsParameters() {
        MicroModel g = MicroModel.graph("concat");
        ImageLayer x = g.input(4, 4, 2);
        ImageLayer free = x.conv2d(3, 1, 1);
        ImageLayer fixed = x.conv2d(3, 1, 1).tanh();
        ModelSpec spec = g.concatenate(free, fixed).globalAvgPool2d().dense(2).build();
        TensorPlan plan = TensorPlan.of(spec);

        List<BuiltinOperator> ops = plan.ops().stream().map(PlannedOp::op).toList();
        assertEquals(List.of(CONV_2D, CONV_2D, TANH, QUANTIZE, CONCATENATION, MEAN, FULLY_CONNECTED), ops);
        PlannedTensor concat = plan.tensorOf(4);
        assertEquals(QuantRule.LEARNED, concat.rule());
        assertEquals(4, concat.rangeNode());
        assertEquals(QuantRule.UNIFIED, plan.tensorOf(1).rule());
        assertEquals(concat, plan.paramsRoot(plan.tensorOf(1)));
        PlannedTensor tanh = plan.tensorOf(3);
        assertEquals(FixedRange.SYMMETRIC_UNIT, tanh.fixedRange());
        PlannedTensor requantized = plan.tensor(plan.ops().get(3).output());
        assertEquals(concat, plan.paramsRoot(requantized));
        assertEquals(-1, requantized.valueNode());
        assertEquals(concat, plan.paramsRoot(plan.tensorOf(5)), "MEAN keeps its input's parameters");
        assertEquals(plan.tensorOf(1), plan.fakeQuantized(1), "the unified conv is fake-quantized at its output");
        assertEquals(plan.tensorOf(5), plan.fakeQuantized(5), "MEAN rounds its averages on its input's grid");
    }

    @Test
    void convolutionsAlwaysGetABiasAndDenseOnlyWhenDeclared() {
        ModelSpec spec = MicroModel.sequential("bias").input(5, 5, 2)
                .conv2d(4, 3, 3).withoutBias().padding(Padding.SAME).depthwiseConv2d(3, 3).withoutBias()
                .flatten().dense(3).withoutBias().dense(2).build();
        TensorPlan plan = TensorPlan.of(spec);
        assertArrayEquals(new int[] {4, 3, 3, 2}, plan.weights(1).shape());
        assertEquals(0, plan.weights(1).channelAxis());
        assertEquals(4, plan.weights(1).biasLength());
        assertArrayEquals(new int[] {1, 3, 3, 4}, plan.weights(2).shape());
        assertEquals(3, plan.weights(2).channelAxis());
        assertEquals(4, plan.weights(2).biasLength());
        assertArrayEquals(new int[] {3, 36}, plan.weights(4).shape());
        assertEquals(-1, plan.weights(4).channelAxis());
        assertEquals(0, plan.weights(4).biasLength());
        assertEquals(2, plan.weights(5).biasLength());
        assertNull(plan.weights(3), "flatten has no weights");
    }
}
