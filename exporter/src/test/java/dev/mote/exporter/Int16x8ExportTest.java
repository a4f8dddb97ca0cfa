package dev.mote.exporter;

import dev.mote.dsl.plan.PlannedOp;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.QuantParams;
import dev.mote.vocabulary.QuantizationRules;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structure of 16x8 exports read back with {@link ModelReader}, against the TF converter's 16x8 rules
 * ({@code lite/tools/optimize/quantization_utils.cc}, {@code operator_property.cc},
 * {@code lite/tools/versioning/op_version.cc} and {@code runtime_version.cc}): int16 activations with zero point 0
 * and scale max(|min|, |max|) / 32767, int8 weights exactly as the int8 export's, int64 bias at input scale × weight
 * scale, 1/32768 outputs of SOFTMAX/LOGISTIC/TANH, the converter's op versions, and the refusals.
 */
class Int16x8ExportTest {

    private static ExportedModel export(LayerZoo.Case c, ExportOptions options) {
        RandomParameters p = new RandomParameters(c.spec(), 5);
        return TfliteExporter.export(c.spec(), p, options);
    }

    /** The version the converter writes for each op of a 16x8 model (op_version.cc, int16 inputs, int8 weights). */
    private static final Map<BuiltinOperator, Integer> CONVERTER_16X8 = Map.ofEntries(
            Map.entry(BuiltinOperator.CONV_2D, 1), Map.entry(BuiltinOperator.MAX_POOL_2D, 3),
            Map.entry(BuiltinOperator.AVERAGE_POOL_2D, 3), Map.entry(BuiltinOperator.MEAN, 3),
            Map.entry(BuiltinOperator.PAD, 3), Map.entry(BuiltinOperator.ADD, 3),
            Map.entry(BuiltinOperator.CONCATENATION, 3), Map.entry(BuiltinOperator.SOFTMAX, 3),
            Map.entry(BuiltinOperator.LOGISTIC, 3), Map.entry(BuiltinOperator.TANH, 3),
            Map.entry(BuiltinOperator.LEAKY_RELU, 2), Map.entry(BuiltinOperator.QUANTIZE, 2),
            Map.entry(BuiltinOperator.DEQUANTIZE, 3), Map.entry(BuiltinOperator.RESHAPE, 1),
            Map.entry(BuiltinOperator.STRIDED_SLICE, 1));

    @Test
    void everyActivationIsInt16SymmetricWeightsInt8BiasInt64() {
        for (LayerZoo.Case c : LayerZoo.int16x8()) {
            for (ExportOptions options : List.of(ExportOptions.int16x8(), ExportOptions.int16x8().withFloatIo(true))) {
                ExportedModel e = export(c, options);
                Model m = ModelReader.read(e.bytes());
                ExportedModel int8 = export(c, options.floatIo() ? ExportOptions.int8().withFloatIo(true)
                        : ExportOptions.int8());
                Model m8 = ModelReader.read(int8.bytes());
                List<Tensor> tensors = m.mainSubgraph().tensors();
                for (Operator op : m.mainSubgraph().operators()) {
                    BuiltinOperator code = m.operatorCodes().get(op.opcodeIndex()).builtin();
                    Tensor out = tensors.get(op.output(0));
                    if (code == BuiltinOperator.DEQUANTIZE) {
                        assertEquals(TensorType.INT16, tensors.get(op.input(0)).type(), c + ": DEQUANTIZE input");
                        assertEquals(TensorType.FLOAT32, out.type());
                        continue;
                    }
                    assertEquals(TensorType.INT16, out.type(), c + ": " + code + " output");
                    assertEquals(0, out.quantization().zeroPoint(), c + ": " + code + " output zero point");
                    if (code == BuiltinOperator.SOFTMAX || code == BuiltinOperator.LOGISTIC
                            || code == BuiltinOperator.TANH) {
                        assertEquals(1f / 32768f, out.quantization().scale(), c + ": " + code + " fixed output scale");
                    }
                    if (code == BuiltinOperator.ADD) {
                        assertFalse(((BuiltinOptions.Add) op.options()).potScaleInt16(),
                                c + ": 16x8 ADD is written with pot_scale_int16 false, as the converter does");
                    }
                    if (code == BuiltinOperator.FULLY_CONNECTED || code == BuiltinOperator.CONV_2D
                            || code == BuiltinOperator.DEPTHWISE_CONV_2D) {
                        Tensor in = tensors.get(op.input(0));
                        Tensor w = tensors.get(op.input(1));
                        assertEquals(TensorType.INT8, w.type(), c + ": weights stay int8");
                        // the same int8 weights as the int8 export when no int32 widening happened there
                        if (op.inputCount() > 2 && op.input(2) >= 0) {
                            Tensor b = tensors.get(op.input(2));
                            assertEquals(TensorType.INT64, b.type(), c + ": " + code + " bias is int64");
                            for (int ch = 0; ch < b.quantization().channelCount(); ch++) {
                                float ws = w.quantization().channelCount() == 1 ? w.quantization().scale()
                                        : w.quantization().scale(ch);
                                assertEquals((float) ((double) in.quantization().scale() * ws),
                                        b.quantization().scale(ch), c + ": bias scale = input scale x weight scale");
                                assertEquals(0, b.quantization().zeroPoint(ch));
                            }
                        }
                    }
                }
                assertEquals(options.floatIo() ? TensorType.FLOAT32 : TensorType.INT16,
                        tensors.get(m.mainSubgraph().inputs()[0]).type(), c + ": input type");
                assertEquals(options.floatIo() ? TensorType.FLOAT32 : TensorType.INT16,
                        tensors.get(m.mainSubgraph().outputs()[0]).type(), c + ": output type");
                assertEquals(m8.mainSubgraph().operators().size(), m.mainSubgraph().operators().size(),
                        c + ": the same operators as int8");
            }
        }
    }

    @Test
    void learnedScalesAreTheConvertersSymmetricInt16Rule() {
        LayerZoo.Case c = LayerZoo.denseChain();
        RandomParameters p = new RandomParameters(c.spec(), 5);
        Model m = ModelReader.read(TfliteExporter.export(c.spec(), p, ExportOptions.int16x8()).bytes());
        Tensor in = m.mainSubgraph().tensor(m.mainSubgraph().inputs()[0]);
        var range = p.outputRange(0);
        float expected = Math.max(Math.abs(Math.min(range.min(), 0f)), Math.abs(Math.max(range.max(), 0f))) / 32767;
        assertEquals(expected, in.quantization().scale());
        assertEquals(new QuantParams(3f / 32767f, 0), QuantizationRules.activationInt16(-1.0, 3.0));
        assertEquals(new QuantParams(2f / 32767f, 0), QuantizationRules.activationInt16(-2.0, 0.5));
        assertEquals(new QuantParams(1f / 32767f, 0), QuantizationRules.activationInt16(0.25, 1.0));
        assertEquals(32767, QuantizationRules.quantizeActivationInt16(5f, 1f / 32767f * 3f, 0));
        assertEquals(-32768, QuantizationRules.quantizeActivationInt16(-5f, 1f / 32767f * 3f, 0));
    }

    @Test
    void biasIsInt64AtInputScaleTimesWeightScale() {
        LayerZoo.Case c = LayerZoo.conv();
        RandomParameters p = new RandomParameters(c.spec(), 5);
        Model m = ModelReader.read(TfliteExporter.export(c.spec(), p, ExportOptions.int16x8()).bytes());
        Operator conv = m.mainSubgraph().operators().get(0);
        Tensor in = m.mainSubgraph().tensor(conv.input(0));
        Tensor w = m.mainSubgraph().tensor(conv.input(1));
        Tensor b = m.mainSubgraph().tensor(conv.input(2));
        ByteBuffer raw = ByteBuffer.wrap(m.buffer(b.buffer()).toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8 * b.elementCount(), raw.remaining());
        TensorPlan plan = TensorPlan.of(c.spec());
        int node = plan.ops().get(0).node();
        float[] folded = p.bias(node);
        for (int ch = 0; ch < b.elementCount(); ch++) {
            float scale = (float) ((double) in.quantization().scale() * w.quantization().scale(ch));
            long q = raw.getLong();
            if (folded != null) {
                assertEquals(Math.round((double) folded[ch] / scale), q, 1, "channel " + ch);
            }
        }
    }

    @Test
    void opVersionsAreTheConverters16x8Versions() {
        for (LayerZoo.Case c : LayerZoo.int16x8()) {
            Model m = ModelReader.read(export(c, ExportOptions.int16x8().withFloatIo(true)).bytes());
            TensorPlan plan = TensorPlan.of(c.spec());
            Map<BuiltinOperator, Integer> expected = new HashMap<>(CONVERTER_16X8);
            boolean perStep = false;
            boolean dilatedDw = false;
            for (PlannedOp op : plan.ops()) {
                if (op.op() == BuiltinOperator.FULLY_CONNECTED && plan.tensor(op.output()).shape().length == 3) {
                    perStep = true;
                }
                if (op.op() == BuiltinOperator.DEPTHWISE_CONV_2D
                        && c.spec().node(op.node()).layer() instanceof dev.mote.dsl.LayerSpec.DepthwiseConv2D d
                        && d.dilationH() != 1) {
                    dilatedDw = true;
                }
            }
            // FULLY_CONNECTED: 7 needs int16 weights; keep_num_dims gives 5; else 1
            expected.put(BuiltinOperator.FULLY_CONNECTED, perStep ? 5 : 1);
            expected.put(BuiltinOperator.DEPTHWISE_CONV_2D, dilatedDw ? 2 : 1);
            // TRANSPOSE_CONV: 5 needs quantized_bias_type, 4 a fused activation (Mote writes neither); a bias
            // input gives 3, an int8 filter alone 2
            expected.put(BuiltinOperator.TRANSPOSE_CONV, 3);
            for (OperatorCode code : m.operatorCodes()) {
                assertEquals(expected.get(code.builtin()), code.version(), c + ": " + code.builtin() + " version");
            }
        }
    }

    @Test
    void minRuntimeVersionFollowsTheInt16Versions() {
        Model m = ModelReader.read(export(LayerZoo.denseSoftmax(), ExportOptions.int16x8()).bytes());
        String v = new String(m.metadata("min_runtime_version").orElseThrow().toByteArray(),
                StandardCharsets.US_ASCII).replace("\0", "");
        assertEquals("2.3.0", v, "SOFTMAX version 3 first ran in TFLite 2.3.0");
    }

    @Test
    void whatTflmCannotRunIn16x8IsRefusedNamingTheLayer() {
        ExportException lstm = assertThrows(ExportException.class,
                () -> export(LayerZoo.lstm(), ExportOptions.int16x8()));
        assertTrue(lstm.getMessage().contains("'lstm'") && lstm.getMessage().contains("ExportOptions.int8()"),
                lstm.getMessage());
        ExportException hardSwish = assertThrows(ExportException.class,
                () -> export(LayerZoo.standaloneActivations(), ExportOptions.int16x8()));
        assertTrue(hardSwish.getMessage().contains("HARD_SWISH"), hardSwish.getMessage());
        // the int8 exports of both still work
        export(LayerZoo.lstm(), ExportOptions.int8());
        export(LayerZoo.standaloneActivations(), ExportOptions.int8());
    }

    @Test
    void optionsSayWhatTheyAre() {
        assertEquals(Precision.INT16X8, ExportOptions.int16x8().precision());
        assertFalse(ExportOptions.int16x8().floatIo());
        assertTrue(ExportOptions.int16x8().withFloatIo(true).floatIo());
        assertEquals(TensorType.INT16, Precision.INT16X8.activationType());
    }
}
