package dev.mote.runtime.format;

import dev.mote.vocabulary.TensorType;

import dev.mote.vocabulary.BuiltinOperator;

import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The data-flow rules of {@link ModelValidator}: operators run in file order, so every tensor an operator reads must
 * be a constant, a subgraph input, a variable or the output of an earlier operator; every subgraph output must be
 * produced; and no tensor but a variable has two producers. Together these refuse every cycle.
 */
class GraphValidationTest {
    private static final Quantization Q = Quantization.perTensor(0.1f, 0);

    /** A graph of RELU operators over int8 [1, 4] tensors a, b, c, ... (tensor i is named by letter). */
    private static final class Graph {
        final ModelBuilder b = new ModelBuilder();

        private final int[] inputs;

        Graph(int tensors, int... inputs) {
            for (int i = 0; i < tensors; i++) {
                b.addTensor(String.valueOf((char) ('a' + i)), TensorType.INT8, new int[] {1, 4}, Q);
            }
            this.inputs = inputs;
        }

        Graph op(int[] in, int... out) {
            b.addOperator(BuiltinOperator.RELU, 1, BuiltinOptions.NONE, in, out);
            return this;
        }

        Model read(int... outputs) {
            Model m = b.build();
            var sg = m.mainSubgraph();
            Model wired = new Model(m.version(), m.operatorCodes(), java.util.List.of(new Subgraph(sg.tensors(), inputs,
                    outputs, sg.operators(), sg.name())), m.description(), m.buffers(), m.metadata());
            return ModelReader.read(ModelWriter.write(wired));
        }

        String refusal(int... outputs) {
            return assertThrows(InvalidModelException.class, () -> read(outputs)).getMessage();
        }
    }

    @Test
    void aChainInFileOrderIsAccepted() {
        Model m = new Graph(3, 0).op(new int[] {0}, 1).op(new int[] {1}, 2).read(2);
        assertEquals(2, m.mainSubgraph().operators().size());
    }

    @Test
    void aTensorReadBeforeAnyOperatorWritesItIsRefused() {
        // the chain's operators in the wrong order: RELU(b) -> c runs before RELU(a) -> b
        String e = new Graph(3, 0).op(new int[] {1}, 2).op(new int[] {0}, 1).refusal(2);
        assertEquals("invalid model: subgraph 0 operator 0 (RELU) reads tensor 1 ('b') before any operator writes it",
                e);
    }

    @Test
    void aTwoOperatorCycleIsRefused() {
        // b = relu(c), c = relu(b): whichever runs first reads what the other has not written yet
        String e = new Graph(3, 0).op(new int[] {2}, 1).op(new int[] {1}, 2).refusal(2);
        assertEquals("invalid model: subgraph 0 operator 0 (RELU) reads tensor 2 ('c') before any operator writes it",
                e);
    }

    @Test
    void anOperatorReadingAndWritingTheSameTensorIsRefused() {
        String e = new Graph(2, 0).op(new int[] {0}, 1).op(new int[] {1}, 1).refusal(1);
        assertEquals("invalid model: subgraph 0 operator 1 (RELU) reads and writes tensor 1 ('b') (a cycle); every "
                + "tensor has exactly one producer", e);
    }

    @Test
    void aCycleThroughASubgraphInputIsRefused() {
        // b = relu(a), a = relu(b): sequentially runnable, but it overwrites the caller's input
        String e = new Graph(2, 0).op(new int[] {0}, 1).op(new int[] {1}, 0).refusal(0);
        assertEquals("invalid model: subgraph 0 operator 1 (RELU) writes tensor 0 ('a'), which is a subgraph input; "
                + "every tensor has exactly one producer", e);
    }

    @Test
    void aTensorWithTwoProducersIsRefused() {
        String e = new Graph(3, 0).op(new int[] {0}, 1).op(new int[] {0}, 2).op(new int[] {2}, 1).refusal(1);
        assertEquals("invalid model: subgraph 0 operator 2 (RELU) writes tensor 1 ('b'), which operator 0 already "
                + "writes; every tensor has exactly one producer", e);
    }

    @Test
    void anOperatorWritingOneTensorTwiceIsRefused() {
        String e = new Graph(2, 0).op(new int[] {0}, 1, 1).refusal(1);
        assertEquals("invalid model: subgraph 0 operator 0 (RELU) writes tensor 1 ('b') twice; every tensor has "
                + "exactly one producer", e);
    }

    @Test
    void anOutputNoOperatorProducesIsRefused() {
        String e = new Graph(3, 0).op(new int[] {0}, 1).refusal(2);
        assertEquals("invalid model: subgraph 0 output tensor 2 ('c') is never produced", e);
    }

    @Test
    void anOperatorWithoutOutputsIsRefused() {
        String e = new Graph(2, 0).op(new int[] {0}).refusal(0);
        assertEquals("invalid model: subgraph 0 operator 0 (RELU) has no outputs", e);
    }

    @Test
    void theReferenceModelsPassTheseRules() {
        for (String name : new String[] {"hello_world_int8.tflite", "hello_world_float.tflite",
                "micro_speech_quantized.tflite"}) {
            ModelReader.read(ReferenceModels.bytes(name));
        }
    }
}
