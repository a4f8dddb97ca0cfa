package dev.mote.dsl.plan;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ModelSummary;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mote.vocabulary.BuiltinOperator.CONV_2D;
import static dev.mote.vocabulary.BuiltinOperator.FULLY_CONNECTED;
import static dev.mote.vocabulary.BuiltinOperator.MAX_POOL_2D;
import static dev.mote.vocabulary.BuiltinOperator.MEAN;
import static dev.mote.vocabulary.BuiltinOperator.RESHAPE;
import static dev.mote.vocabulary.BuiltinOperator.SOFTMAX;
import static dev.mote.vocabulary.BuiltinOperator.STRIDED_SLICE;
import static dev.mote.vocabulary.BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plan of sequence models: the 4-D view, the inserted RESHAPEs, STRIDED_SLICE and the LSTM's state tensors. */
class SequencePlanTest {

    private static List<BuiltinOperator> ops(TensorPlan plan) {
        List<BuiltinOperator> out = new ArrayList<>();
        for (PlannedOp op : plan.ops()) {
            out.add(op.op());
        }
        return out;
    }

    @Test
    void conv1dChainSharesOneViewAndOnlyTheInputIsReshaped() {
        ModelSpec spec = MicroModel.sequential("gesture").input(128, 3).conv1d(16, 5).padding(Padding.SAME).relu()
                .maxPool1d(2).conv1d(16, 3).relu().globalAvgPool1d().dense(4).softmax().build();
        TensorPlan plan = TensorPlan.of(spec);
        assertEquals(List.of(RESHAPE, CONV_2D, MAX_POOL_2D, CONV_2D, MEAN, FULLY_CONNECTED, SOFTMAX), ops(plan));
        PlannedOp reshape = plan.ops().get(0);
        assertArrayEquals(new int[] {1, 128, 3}, plan.tensor(reshape.inputs()[0]).shape());
        assertArrayEquals(new int[] {1, 1, 128, 3}, plan.tensor(reshape.output()).shape());
        assertEquals(QuantRule.SAME_AS_INPUT, plan.tensor(reshape.output()).rule());
        assertEquals(Activation.RELU, plan.ops().get(1).fused());
        assertArrayEquals(new int[] {1, 1, 64, 16}, plan.tensor(plan.ops().get(2).output()).shape());
        assertArrayEquals(new int[] {1, 1, 62, 16}, plan.tensor(plan.ops().get(3).output()).shape());
        assertArrayEquals(new int[] {1, 16}, plan.tensor(plan.ops().get(4).output()).shape());
        assertEquals(List.of(RESHAPE, CONV_2D, MAX_POOL_2D, CONV_2D, MEAN, FULLY_CONNECTED, SOFTMAX),
                ModelSummary.of(spec).ops());
        assertEquals("RESHAPE + CONV_2D", ModelSummary.of(spec).rows().get(1).tfliteOp());
    }

    @Test
    void aSequenceOutputOnTheViewGoesBack() {
        ModelSpec spec = MicroModel.sequential("out").input(10, 2).conv1d(4, 3).build();
        TensorPlan plan = TensorPlan.of(spec);
        assertEquals(List.of(RESHAPE, CONV_2D, RESHAPE), ops(plan));
        assertArrayEquals(new int[] {1, 8, 4}, plan.output().shape());
        assertEquals(QuantRule.LEARNED, plan.paramsRoot(plan.output()).rule());
    }

    @Test
    void lstmAndDensePerStepReadTheSequence() {
        ModelSpec spec = MicroModel.sequential("mixed").input(20, 3).conv1d(8, 3).relu().lstm(6).dense(5).relu()
                .lastStep().dense(2).build();
        TensorPlan plan = TensorPlan.of(spec);
        assertEquals(List.of(RESHAPE, CONV_2D, RESHAPE, UNIDIRECTIONAL_SEQUENCE_LSTM, FULLY_CONNECTED,
                STRIDED_SLICE, FULLY_CONNECTED), ops(plan));
        assertArrayEquals(new int[] {1, 18, 5}, plan.tensor(plan.ops().get(4).output()).shape());
        assertEquals(Activation.RELU, plan.ops().get(4).fused());
        PlannedTensor slice = plan.tensor(plan.ops().get(5).output());
        assertEquals(QuantRule.SAME_AS_INPUT, slice.rule());
        assertArrayEquals(new int[] {1, 5}, slice.shape());
    }

    @Test
    void lstmStatesAreExtraTensorsOfItsOperator() {
        ModelSpec spec = MicroModel.sequential("kws").input(28, 28).lstm(20).lastStep().dense(10).softmax().build();
        TensorPlan plan = TensorPlan.of(spec);
        assertEquals(List.of(UNIDIRECTIONAL_SEQUENCE_LSTM, STRIDED_SLICE, FULLY_CONNECTED, SOFTMAX), ops(plan));
        PlannedOp lstm = plan.ops().get(0);
        int[] in = lstm.inputs();
        assertEquals(3, in.length);
        PlannedTensor output = plan.tensor(lstm.output());
        PlannedTensor outputState = plan.tensor(in[1]);
        PlannedTensor cellState = plan.tensor(in[2]);
        assertEquals(QuantRule.LEARNED, output.rule());
        assertEquals(1, output.rangeNode());
        assertArrayEquals(new int[] {1, 28, 20}, output.shape());
        assertEquals(QuantRule.SAME_AS_OUTPUT, outputState.rule());
        assertEquals(output.id(), plan.paramsRoot(outputState).id());
        assertEquals(QuantRule.CELL_STATE, cellState.rule());
        assertEquals(1, cellState.rangeNode());
        assertArrayEquals(new int[] {1, 20}, cellState.shape());
        assertTrue(outputState.variable() && cellState.variable());
        assertFalse(output.variable());
        PlannedWeights w = plan.weights(1);
        assertEquals(PlannedWeights.Layout.LSTM_GATES, w.layout());
        assertEquals(4L * 20 * (28 + 20), w.weightCount());
        assertEquals(80, w.biasLength());
        assertArrayEquals(new int[] {0, 20, 28}, w.lstmMatrix(1));
        assertArrayEquals(new int[] {3 * 20 * 28, 20, 28}, w.lstmMatrix(4));
        assertArrayEquals(new int[] {4 * 20 * 28 + 20 * 20, 20, 20}, w.lstmMatrix(6));
        ModelSummary summary = ModelSummary.of(spec);
        assertEquals(4L * 20 * (28 + 20 + 1), summary.rows().get(1).params());
        assertEquals(4L * 20 * (28 + 20) + 4 * 80, summary.rows().get(1).flashBytes());
        assertEquals(-1, summary.rows().get(1).macs());
        assertFalse(summary.macsComplete());
        assertEquals(200, summary.totalMacs()); // the dense layer's 20 x 10; the LSTM is not counted
    }
}
