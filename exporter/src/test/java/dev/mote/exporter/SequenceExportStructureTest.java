package dev.mote.exporter;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Padding;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the exporter writes for sequence layers: the LSTM's 24 operands and its int8 rules, STRIDED_SLICE, dense per step. */
class SequenceExportStructureTest {

    private static ModelSpec kws() {
        return MicroModel.sequential("kws").input(28, 28).lstm(20).lastStep().dense(10).softmax().build();
    }

    private static BuiltinOperator builtin(Model m, Operator op) {
        return m.operatorCodes().get(op.opcodeIndex()).builtin();
    }

    @Test
    void lstmOperandsAndInt8Rules() {
        ModelSpec spec = kws();
        SequenceReference.Parameters p = SequenceExportTflmTest.of(spec, 7, true).parameters();
        Model m = ModelReader.read(TfliteExporter.export(spec, p).bytes());
        Subgraph sg = m.mainSubgraph();
        Operator lstm = sg.operators().get(0);
        assertEquals(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, builtin(m, lstm));
        assertEquals(24, lstm.inputCount());
        for (int k : new int[] {9, 10, 11, 16, 17, 20, 21, 22, 23}) {
            assertEquals(-1, lstm.input(k), "optional operand " + k);
        }
        assertEquals(new BuiltinOptions.UnidirectionalSequenceLstm(Activation.TANH.code(), 0f, 0f, false, false, false),
                lstm.options());
        Tensor input = sg.tensor(lstm.input(0));
        Tensor output = sg.tensor(lstm.output(0));
        assertArrayEquals(new int[] {1, 28, 20}, output.shape());
        Tensor outputState = sg.tensor(lstm.input(18));
        Tensor cellState = sg.tensor(lstm.input(19));
        assertTrue(outputState.isVariable() && cellState.isVariable());
        assertArrayEquals(new int[] {1, 20}, outputState.shape());
        assertEquals(TensorType.INT8, outputState.type());
        assertEquals(output.quantization().scale(), outputState.quantization().scale());
        assertEquals(output.quantization().zeroPoint(), outputState.quantization().zeroPoint());
        assertEquals(TensorType.INT16, cellState.type());
        assertEquals(0, cellState.quantization().zeroPoint());
        float cellScale = cellState.quantization().scale();
        int exponent = Math.getExponent(cellScale);
        assertEquals(Math.scalb(1f, exponent), cellScale, "a power of two");
        double cellMax = Math.max(Math.abs(p.cellStateRange(1).min()), Math.abs(p.cellStateRange(1).max()));
        assertTrue(cellScale * 32768 >= cellMax && cellScale * 16384 < Math.max(cellMax, 1), "smallest covering");
        for (int k = 1; k <= 8; k++) {
            Tensor w = sg.tensor(lstm.input(k));
            assertEquals(TensorType.INT8, w.type());
            assertArrayEquals(new int[] {20, k <= 4 ? 28 : 20}, w.shape());
            assertEquals(1, w.quantization().scales().length, "per tensor");
            assertEquals(0, w.quantization().zeroPoint());
        }
        for (int g = 0; g < 4; g++) {
            Tensor b = sg.tensor(lstm.input(12 + g));
            assertEquals(TensorType.INT32, b.type());
            assertArrayEquals(new int[] {20}, b.shape());
            float expected = (float) ((double) input.quantization().scale()
                    * sg.tensor(lstm.input(1 + g)).quantization().scale());
            assertEquals(expected, b.quantization().scale(), "gate " + g + " bias scale = input × input weights");
        }
        Operator slice = sg.operators().get(1);
        assertEquals(BuiltinOperator.STRIDED_SLICE, builtin(m, slice));
        assertEquals(new BuiltinOptions.StridedSlice(5, 5, 0, 0, 2, false), slice.options());
        assertArrayEquals(new int[] {1, 20}, sg.tensor(slice.output(0)).shape());
        assertEquals(output.quantization().scale(), sg.tensor(slice.output(0)).quantization().scale());
    }

    @Test
    void float32LstmHasFloatStatesAndWeights() {
        ModelSpec spec = kws();
        Model m = ModelReader.read(TfliteExporter.export(spec, SequenceExportTflmTest.of(spec, 7, true).parameters(),
                ExportOptions.float32()).bytes());
        Operator lstm = m.mainSubgraph().operators().get(0);
        for (int k : new int[] {0, 1, 8, 12, 15, 18, 19}) {
            assertEquals(TensorType.FLOAT32, m.mainSubgraph().tensor(lstm.input(k)).type(), "operand " + k);
        }
        assertTrue(m.mainSubgraph().tensor(lstm.input(19)).isVariable());
    }

    @Test
    void int8LstmNeedsTheCellStateRange() {
        ModelSpec spec = kws();
        SequenceReference.Parameters p = SequenceExportTflmTest.of(spec, 7, true).parameters();
        p.cellRanges[1] = null;
        ExportException e = assertThrows(ExportException.class, () -> TfliteExporter.export(spec, p));
        assertTrue(e.getMessage().contains("cellStateRange"), e.getMessage());
        TfliteExporter.export(spec, p, ExportOptions.float32()); // a float export does not need it
    }

    @Test
    void densePerStepKeepsTheStepsAndConv1dRunsOnTheView() {
        ModelSpec spec = MicroModel.sequential("per_step").input(16, 3).conv1d(4, 3).padding(Padding.SAME).relu()
                .dense(5).relu().flatten().dense(2).build();
        Model m = ModelReader.read(TfliteExporter.export(spec, SequenceExportTflmTest.of(spec, 3, false)
                .parameters()).bytes());
        Subgraph sg = m.mainSubgraph();
        assertEquals(java.util.List.of(BuiltinOperator.RESHAPE, BuiltinOperator.CONV_2D, BuiltinOperator.RESHAPE,
                BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.FULLY_CONNECTED),
                sg.operators().stream().map(o -> builtin(m, o)).toList());
        Operator conv = sg.operators().get(1);
        assertArrayEquals(new int[] {4, 1, 3, 3}, sg.tensor(conv.input(1)).shape());
        assertEquals(new BuiltinOptions.Conv2D(Padding.SAME.code(), 1, 1, Activation.RELU.code(), 1, 1),
                conv.options());
        Operator perStep = sg.operators().get(3);
        assertArrayEquals(new int[] {1, 16, 5}, sg.tensor(perStep.output(0)).shape());
        assertTrue(((BuiltinOptions.FullyConnected) perStep.options()).keepNumDims());
        assertEquals(Activation.RELU.code(), ((BuiltinOptions.FullyConnected) perStep.options()).activation());
        assertFalse(((BuiltinOptions.FullyConnected) sg.operators().get(4).options()).keepNumDims());
    }
}
