package dev.mote.dsl;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two real models of {@code ../shared/models}, declared in the DSL: their lowering must give the graph the
 * TensorFlow Lite converter wrote (same operators, fused activations, tensor shapes and tensor count) and the
 * summary's parameter bytes must equal the real weight buffers (the exporter's {@code ModelReportTest} compares the
 * arenas). In micro_speech the converter (TOCO, which turned TensorFlow's
 * Reshape + MatMul into one FULLY_CONNECTED) feeds the depthwise output [1, 25, 20, 8] straight into
 * FULLY_CONNECTED; the DSL's flatten before the dense layer is absorbed the same way.
 */
class ReferenceModelLoweringTest {

    static ModelSpec helloWorld() {
        return MicroModel.sequential("hello_world")
                .input(1)
                .dense(16).relu()
                .dense(16).relu()
                .dense(1)
                .build();
    }

    static ModelSpec microSpeech() {
        return MicroModel.sequential("micro_speech")
                .input(1960)
                .reshape(49, 40, 1)
                .depthwiseConv2d(10, 8).depthMultiplier(8).stride(2).padding(SAME).relu()
                .flatten()
                .dense(4).softmax()
                .build();
    }

    @Test
    void helloWorldLowersToTheConvertersGraph() {
        assertSameGraph(ReferenceModels.bytes("hello_world_int8.tflite"), helloWorld());
    }

    @Test
    void microSpeechLowersToTheConvertersGraph() {
        // RESHAPE [1, 1960] -> [1, 49, 40, 1], DEPTHWISE_CONV_2D (RELU), FULLY_CONNECTED on [1, 25, 20, 8], SOFTMAX
        assertSameGraph(ReferenceModels.bytes("micro_speech_quantized.tflite"), microSpeech());
    }

    @Test
    void summaryFlashBytesEqualTheRealWeightBuffers() {
        // weights + biases of the real files, without the RESHAPE shape tensor (16 bytes in micro_speech)
        assertEquals(constantBytes(ReferenceModels.bytes("hello_world_int8.tflite")),
                helloWorld().summary().flashBytes());
        assertEquals(constantBytes(ReferenceModels.bytes("micro_speech_quantized.tflite")) - 16,
                microSpeech().summary().flashBytes());
        assertEquals(321, helloWorld().summary().totalParams());
    }

    private static void assertSameGraph(byte[] realBytes, ModelSpec spec) {
        Model real = ModelReader.read(realBytes);
        Model ours = ModelReader.read(PlaceholderTflite.export(spec));
        assertEquals(describe(real), describe(ours));
        assertEquals(real.mainSubgraph().tensors().size(), ours.mainSubgraph().tensors().size(), "tensor count");
    }

    /** Operators in order with their fused activation and the shapes of their inputs and outputs. */
    private static List<String> describe(Model model) {
        Subgraph sg = model.mainSubgraph();
        List<String> out = new ArrayList<>();
        out.add("inputs " + shapes(sg, sg.inputs()) + " outputs " + shapes(sg, sg.outputs()));
        for (Operator op : sg.operators()) {
            out.add(model.operatorCodes().get(op.opcodeIndex()).builtin() + " activation " + activation(op.options())
                    + " in " + shapes(sg, op.inputs()) + " out " + shapes(sg, op.outputs()));
        }
        return out;
    }

    private static int activation(BuiltinOptions options) {
        if (options instanceof BuiltinOptions.FullyConnected fc) {
            return fc.activation();
        } else if (options instanceof BuiltinOptions.Conv2D c) {
            return c.activation();
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D c) {
            return c.activation();
        }
        return 0;
    }

    private static String shapes(Subgraph sg, int[] tensors) {
        List<String> out = new ArrayList<>();
        for (int t : tensors) {
            out.add(t < 0 ? "-" : sg.tensor(t).type() + Arrays.toString(sg.tensor(t).shape()));
        }
        return out.toString();
    }

    /** Bytes of all constant tensors (weights, biases, shape tensors) of a model. */
    private static long constantBytes(byte[] bytes) {
        Model model = ModelReader.read(bytes);
        Subgraph sg = model.mainSubgraph();
        long sum = 0;
        for (int i = 0; i < sg.tensors().size(); i++) {
            sum += model.buffer(sg.tensor(i).buffer()).length();
        }
        return sum;
    }
}
