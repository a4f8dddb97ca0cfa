package dev.mote.dsl;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
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

import static dev.mote.runtime.format.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two real models of {@code ../shared/models}, declared in the DSL: their lowering must give the graph the
 * TensorFlow Lite converter wrote (same operators, fused activations, tensor shapes and tensor count), the summary's
 * parameter bytes must equal the real weight buffers, and the arena planned from the DSL's export must equal the
 * arena micro-runtime plans for the real file. One known difference: Mote's exporter keeps Keras' Flatten before a
 * dense layer as a RESHAPE, which the TF converter removes ({@code RemoveReshapeBeforeFullyConnected}); in
 * micro_speech that costs one operator and 2,032 arena bytes.
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
    void microSpeechLowersToTheConvertersGraphPlusTheFlatten() {
        Model real = ModelReader.read(ReferenceModels.bytes("micro_speech_quantized.tflite"));
        Model ours = ModelReader.read(PlaceholderTflite.export(microSpeech()));
        List<String> expected = new ArrayList<>(describe(real));
        int fc = 0;
        while (!expected.get(fc).startsWith("FULLY_CONNECTED")) {
            fc++;
        }
        expected.add(fc, "RESHAPE activation 0 in [INT8[1, 25, 20, 8], INT32[2]] out [INT8[1, 4000]]");
        expected.set(fc + 1, expected.get(fc + 1).replace("in [INT8[1, 25, 20, 8]", "in [INT8[1, 4000]"));
        assertEquals(expected, describe(ours));
        assertEquals(real.mainSubgraph().tensors().size() + 2, ours.mainSubgraph().tensors().size());
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

    @Test
    void arenaFromTheSpecEqualsTheArenaOfTheRealFile() {
        byte[] real = ReferenceModels.bytes("hello_world_int8.tflite");
        ArenaEstimator ofRealFile = ArenaEstimator.fromExport(s -> real);
        ModelSummary summary = helloWorld().summary(PlaceholderArena.estimator());
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport expected = ofRealFile.arena(helloWorld(), target);
            ArenaReport actual = summary.arena(target).orElseThrow();
            assertEquals(expected.headBytes(), actual.headBytes(), target.name());
            assertEquals(expected.tailBytes(), actual.tailBytes(), target.name());
            assertEquals(expected.minimumArenaBytes(), actual.minimumArenaBytes(), target.name());
        }
    }

    @Test
    void theKeptFlattenCostsMicroSpeechTwoKilobytesOfArena() {
        byte[] real = ReferenceModels.bytes("micro_speech_quantized.tflite");
        ArenaEstimator ofRealFile = ArenaEstimator.fromExport(s -> real);
        ModelSummary summary = microSpeech().summary(PlaceholderArena.estimator());
        for (ArenaTarget target : ArenaTarget.values()) {
            // real: the reshaped input (1,968 aligned) and the depthwise output (4,000) at once;
            // with the RESHAPE kept: the depthwise output and its flattened copy (4,000 each) at once
            assertEquals(5968, ofRealFile.arena(microSpeech(), target).headBytes());
            assertEquals(8000, summary.arena(target).orElseThrow().headBytes());
        }
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
