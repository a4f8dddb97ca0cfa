package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.LittleEndian;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the exported FlatBuffer contains, read back with {@link ModelReader} (and raw bytes where needed). */
class ExportStructureTest {

    private static Model int8(LayerZoo.Case c) {
        return ModelReader.read(TfliteExporter.export(c.spec(), new RandomParameters(c.spec(), 5)).bytes());
    }

    private static Operator op(Model m, int i) {
        return m.mainSubgraph().operators().get(i);
    }

    private static Tensor tensor(Model m, int index) {
        return m.mainSubgraph().tensor(index);
    }

    private static int[] ints(Model m, Tensor t) {
        return LittleEndian.toInts(m.buffer(t.buffer()).toByteArray());
    }

    private static OperatorCode code(Model m, int opIndex) {
        return m.operatorCodes().get(op(m, opIndex).opcodeIndex());
    }

    private static String runtimeVersion(Model m) {
        return new String(m.metadata("min_runtime_version").orElseThrow().toByteArray(), StandardCharsets.US_ASCII)
                .replace("\0", "");
    }

    @Test
    void everyZooModelHasTheFileLevelInvariants() {
        for (LayerZoo.Case c : LayerZoo.all()) {
            byte[] bytes = TfliteExporter.export(c.spec(), new RandomParameters(c.spec(), 5)).bytes();
            Model m = ModelReader.read(bytes);
            assertTrue(m.buffer(0).isEmpty(), c + ": buffer 0 must be empty");
            assertEquals(1, m.subgraphs().size());
            assertEquals(List.of("min_runtime_version"), m.metadata().stream().map(e -> e.name()).toList(), c.name());
            assertEquals(16, m.metadata("min_runtime_version").orElseThrow().length());
            assertEquals("", m.description());
            assertEquals("", m.mainSubgraph().name());
            for (Tensor t : m.mainSubgraph().tensors()) {
                assertEquals("", t.name(), c + ": no tensor names by default");
            }
            for (int i = 0; i < m.operatorCodes().size(); i++) {
                int[] raw = RawOperatorCodes.codes(bytes, i);
                int code = m.operatorCodes().get(i).builtin().code();
                assertEquals(code, raw[0], c + ": deprecated_builtin_code of code " + i);
                assertEquals(code, raw[1], c + ": builtin_code of code " + i);
            }
            long distinct = m.operatorCodes().stream().map(OperatorCode::builtin).distinct().count();
            assertEquals(m.operatorCodes().size(), distinct, c + ": one operator code per builtin");
        }
    }

    @Test
    void int8OperatorVersionsAreTheConvertersAndSetTheMinimumRuntime() {
        Map<BuiltinOperator, Integer> expected = Map.ofEntries(Map.entry(BuiltinOperator.FULLY_CONNECTED, 4),
                Map.entry(BuiltinOperator.CONV_2D, 3), Map.entry(BuiltinOperator.DEPTHWISE_CONV_2D, 3),
                Map.entry(BuiltinOperator.MAX_POOL_2D, 2), Map.entry(BuiltinOperator.AVERAGE_POOL_2D, 2),
                Map.entry(BuiltinOperator.MEAN, 2), Map.entry(BuiltinOperator.PAD, 2), Map.entry(BuiltinOperator.ADD, 2),
                Map.entry(BuiltinOperator.CONCATENATION, 2), Map.entry(BuiltinOperator.SOFTMAX, 2),
                Map.entry(BuiltinOperator.LOGISTIC, 2), Map.entry(BuiltinOperator.TANH, 2),
                Map.entry(BuiltinOperator.RELU, 2), Map.entry(BuiltinOperator.RESHAPE, 1),
                Map.entry(BuiltinOperator.STRIDED_SLICE, 2), Map.entry(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, 1),
                Map.entry(BuiltinOperator.LEAKY_RELU, 1), Map.entry(BuiltinOperator.HARD_SWISH, 1),
                Map.entry(BuiltinOperator.QUANTIZE, 1),
                // op_version.cc: a 4th (bias) input makes TRANSPOSE_CONV 3 (the zoo's has one with bias)
                Map.entry(BuiltinOperator.TRANSPOSE_CONV, 3));
        boolean sawKeepNumDims = false;
        for (LayerZoo.Case c : LayerZoo.all()) {
            Model m = int8(c);
            // op_version.cc: a FULLY_CONNECTED with keep_num_dims is version 5 (that row precedes the int8 one)
            boolean keepsDims = m.mainSubgraph().operators().stream().anyMatch(op ->
                    op.options() instanceof BuiltinOptions.FullyConnected fc && fc.keepNumDims());
            sawKeepNumDims |= keepsDims;
            for (OperatorCode code : m.operatorCodes()) {
                int want = code.builtin() == BuiltinOperator.FULLY_CONNECTED && keepsDims ? 5
                        : expected.get(code.builtin());
                assertEquals(want, code.version(), c + ": version of " + code.builtin());
            }
        }
        assertTrue(sawKeepNumDims, "the zoo has a dense per step (keep_num_dims)");
        assertEquals("1.14.0", runtimeVersion(int8(LayerZoo.conv())));
        assertEquals("2.1.0", runtimeVersion(int8(LayerZoo.standaloneActivations())), "RELU v2 needs 2.1.0");
    }

    @Test
    void fusesReluAndRelu6AndDropsBatchNormAndDropout() {
        Model dense = int8(LayerZoo.denseChain());
        assertEquals(Activation.RELU.code(), ((BuiltinOptions.FullyConnected) op(dense, 0).options()).activation());
        assertEquals(Activation.RELU6.code(), ((BuiltinOptions.FullyConnected) op(dense, 1).options()).activation());
        assertEquals(Activation.NONE.code(), ((BuiltinOptions.FullyConnected) op(dense, 2).options()).activation());
        Model conv = int8(LayerZoo.conv());
        BuiltinOptions.Conv2D c0 = (BuiltinOptions.Conv2D) op(conv, 0).options();
        assertEquals(new BuiltinOptions.Conv2D(0, 1, 1, Activation.RELU.code(), 1, 1), c0);
        BuiltinOptions.Conv2D c1 = (BuiltinOptions.Conv2D) op(conv, 1).options();
        assertEquals(new BuiltinOptions.Conv2D(1, 2, 2, Activation.RELU6.code(), 1, 1), c1);
        Model dw = int8(LayerZoo.depthwise());
        assertEquals(new BuiltinOptions.DepthwiseConv2D(0, 1, 1, 2, Activation.RELU.code(), 1, 1), op(dw, 0).options());
    }

    @Test
    void reluAfterAnOperatorWithSeveralReadersStaysStandalone() {
        TestSpecs s = TestSpecs.input("two_readers", 4);
        int d = s.add(new LayerSpec.Dense(4, true));
        int r = s.add(LayerSpec.Activation.of(ActivationKind.RELU), d);
        s.add(new LayerSpec.Add(), r, d);
        ModelSpec spec = s.build();
        Model m = ModelReader.read(TfliteExporter.export(spec, new RandomParameters(spec, 1)).bytes());
        assertEquals(List.of(BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.RELU, BuiltinOperator.ADD),
                m.mainSubgraph().operators().stream().map(o -> m.operatorCodes().get(o.opcodeIndex()).builtin())
                        .toList());
        assertEquals(Activation.NONE.code(), ((BuiltinOptions.FullyConnected) op(m, 0).options()).activation());
    }

    @Test
    void weightsArePerChannelOnConvAndDepthwiseAndPerTensorOnFullyConnectedWithInt32Bias() {
        Model conv = int8(LayerZoo.conv());
        Tensor in = tensor(conv, op(conv, 0).input(0));
        Tensor w = tensor(conv, op(conv, 0).input(1));
        Tensor b = tensor(conv, op(conv, 0).input(2));
        assertEquals(TensorType.INT8, w.type());
        assertArrayEquals(new int[] {8, 3, 3, 3}, w.shape());
        assertEquals(8, w.quantization().channelCount());
        assertEquals(0, w.quantization().quantizedDimension());
        assertArrayEquals(new long[8], w.quantization().zeroPoints());
        assertEquals(TensorType.INT32, b.type());
        assertEquals(8, b.quantization().channelCount());
        for (int ch = 0; ch < 8; ch++) {
            assertEquals((float) ((double) in.quantization().scale() * w.quantization().scale(ch)),
                    b.quantization().scale(ch), "bias scale of channel " + ch);
        }
        byte[] q = conv.buffer(w.buffer()).toByteArray();
        for (byte v : q) {
            assertTrue(v >= -127, "weights use the narrow range [-127, 127]");
        }
        Model dw = int8(LayerZoo.depthwise());
        Tensor dww = tensor(dw, op(dw, 0).input(1));
        assertArrayEquals(new int[] {1, 3, 3, 8}, dww.shape());
        assertEquals(8, dww.quantization().channelCount());
        assertEquals(3, dww.quantization().quantizedDimension());
        Tensor dwb = tensor(dw, op(dw, 1).input(2));
        assertArrayEquals(new int[8], ints(dw, dwb), "a depthwise layer without bias gets a zero int32 bias");
        Model dense = int8(LayerZoo.denseChain());
        Tensor fw = tensor(dense, op(dense, 0).input(1));
        assertEquals(1, fw.quantization().channelCount());
        assertEquals(-1, op(dense, 1).input(2), "a Dense without bias has an omitted bias input");
        assertEquals(3, op(dense, 1).inputCount());
    }

    @Test
    void fixedOutputParametersAndPassThroughParameters() {
        Model act = int8(LayerZoo.standaloneActivations());
        assertEquals(Quantization.perTensor(1f / 128, 0), tensor(act, op(act, 1).output(0)).quantization(), "TANH");
        assertEquals(Quantization.perTensor(1f / 256, -128), tensor(act, op(act, 3).output(0)).quantization(),
                "LOGISTIC");
        Model softmax = int8(LayerZoo.denseSoftmax());
        assertEquals(Quantization.perTensor(1f / 256, -128), tensor(softmax, op(softmax, 1).output(0)).quantization());
        Model pool = int8(LayerZoo.pooling());
        for (int i = 1; i <= 3; i++) {
            assertEquals(tensor(pool, op(pool, i).input(0)).quantization(), tensor(pool, op(pool, i).output(0))
                    .quantization(), "operator " + i + " keeps its input's parameters");
        }
        Model pad = int8(LayerZoo.padAndReshape());
        assertEquals(tensor(pad, op(pad, 0).input(0)).quantization(), tensor(pad, op(pad, 0).output(0)).quantization());
        Model mean = int8(LayerZoo.depthwise());
        assertEquals(tensor(mean, op(mean, 2).input(0)).quantization(), tensor(mean, op(mean, 2).output(0))
                .quantization());
    }

    @Test
    void loweredConstantsForReshapeMeanAndPad() {
        Model conv = int8(LayerZoo.conv());
        // the Flatten before the Dense is absorbed: FULLY_CONNECTED reads the 4-D conv output and flattens it
        Operator fc = op(conv, 2);
        assertArrayEquals(new int[] {1, 4, 4, 6}, tensor(conv, fc.input(0)).shape());
        assertArrayEquals(new int[] {4, 96}, tensor(conv, fc.input(1)).shape());
        assertEquals(new BuiltinOptions.FullyConnected(0, 0, false, false), fc.options());
        Model reshaped = int8(LayerZoo.padAndReshape());
        Operator reshape = op(reshaped, 2);
        assertEquals(BuiltinOptions.NONE, reshape.options());
        Tensor shape = tensor(reshaped, reshape.input(1));
        assertEquals(TensorType.INT32, shape.type());
        Model dw = int8(LayerZoo.depthwise());
        Operator mean = op(dw, 2);
        assertEquals(new BuiltinOptions.Reducer(false), mean.options());
        assertArrayEquals(new int[] {1, 2}, ints(dw, tensor(dw, mean.input(1))));
        assertArrayEquals(new int[] {1, 8}, tensor(dw, mean.output(0)).shape());
        Model pad = int8(LayerZoo.padAndReshape());
        Tensor paddings = tensor(pad, op(pad, 0).input(1));
        assertArrayEquals(new int[] {4, 2}, paddings.shape());
        assertArrayEquals(new int[] {0, 0, 1, 2, 0, 1, 0, 0}, ints(pad, paddings));
        assertArrayEquals(new int[] {1, 35, 3}, ints(pad, tensor(pad, op(pad, 2).input(1))));
    }

    @Test
    void concatenationInputsShareTheOutputParameters() {
        Model m = int8(LayerZoo.concatenation());
        Operator concat = op(m, 2);
        assertEquals(new BuiltinOptions.Concatenation(3, 0), concat.options());
        Quantization out = tensor(m, concat.output(0)).quantization();
        for (int in : concat.inputs()) {
            assertEquals(out, tensor(m, in).quantization());
        }
        Model fixed = int8(LayerZoo.concatenationWithFixedInput());
        Operator requantize = op(fixed, 3);
        Operator concat2 = op(fixed, 4);
        assertEquals(op(fixed, 1).output(0), requantize.input(0), "the LOGISTIC output is requantized");
        assertEquals(Quantization.perTensor(1f / 256, -128), tensor(fixed, requantize.input(0)).quantization());
        Quantization target = tensor(fixed, concat2.output(0)).quantization();
        assertEquals(target, tensor(fixed, requantize.output(0)).quantization());
        assertEquals(target, tensor(fixed, concat2.input(1)).quantization());
    }

    @Test
    void floatIoWrapsTheInt8ModelInQuantizeAndDequantize() {
        LayerZoo.Case c = LayerZoo.denseChain();
        Model m = ModelReader.read(TfliteExporter.export(c.spec(), new RandomParameters(c.spec(), 5),
                ExportOptions.int8().withFloatIo(true)).bytes());
        Subgraph sg = m.mainSubgraph();
        assertEquals(TensorType.FLOAT32, sg.tensor(sg.inputs()[0]).type());
        assertEquals(TensorType.FLOAT32, sg.tensor(sg.outputs()[0]).type());
        assertEquals(BuiltinOperator.QUANTIZE, code(m, 0).builtin());
        assertEquals(1, code(m, 0).version());
        int last = sg.operators().size() - 1;
        assertEquals(BuiltinOperator.DEQUANTIZE, code(m, last).builtin());
        assertEquals(2, code(m, last).version());
        assertEquals(TensorType.INT8, sg.tensor(op(m, 0).output(0)).type());
    }

    @Test
    void float32ExportHasNoQuantizationAndVersionOneOperators() {
        LayerZoo.Case c = LayerZoo.dilatedConv();
        Model m = ModelReader.read(TfliteExporter.export(c.spec(), new RandomParameters(c.spec(), 5),
                ExportOptions.float32()).bytes());
        for (Tensor t : m.mainSubgraph().tensors()) {
            assertFalse(t.quantization().isQuantized());
            assertTrue(t.type() == TensorType.FLOAT32 || t.type() == TensorType.INT32, t.toString());
        }
        for (OperatorCode code : m.operatorCodes()) {
            int expected = code.builtin() == BuiltinOperator.DEPTHWISE_CONV_2D ? 2 : 1;
            assertEquals(expected, code.version(), "float " + code.builtin() + " (dilated depthwise is version 2)");
        }
        assertEquals("1.12.0", runtimeVersion(m));
    }

    @Test
    void tensorNamesOnlyWhenAsked() {
        LayerZoo.Case c = LayerZoo.denseChain();
        RandomParameters p = new RandomParameters(c.spec(), 5);
        ExportedModel plain = TfliteExporter.export(c.spec(), p);
        ExportedModel named = TfliteExporter.export(c.spec(), p, ExportOptions.int8().withTensorNames(true));
        Model m = ModelReader.read(named.bytes());
        assertEquals("input", m.mainSubgraph().tensor(m.mainSubgraph().inputs()[0]).name());
        assertTrue(named.size() > plain.size());
    }
}
