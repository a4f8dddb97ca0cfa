package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two lowering decisions the exporter takes from the DSL's {@code Lowering}, as the TF converter takes them: a
 * Flatten read only by a Dense layer writes no RESHAPE (FULLY_CONNECTED with {@code keep_num_dims} false flattens
 * its input: batches = elements / accum_depth), and a RELU / RELU6 after ADD becomes ADD's fused activation.
 */
class FlattenAndAddLoweringTest {

    /** micro_speech's shape: 49x40x1 → depthwise 10x8, multiplier 8, stride 2, SAME, RELU → [flatten] → 4 → softmax. */
    private static ModelSpec microSpeechLike(LayerSpec flatten) {
        TestSpecs s = TestSpecs.input("micro_speech_like", 49, 40, 1);
        s.add(new LayerSpec.DepthwiseConv2D(10, 8, 8, 2, 2, Padding.SAME, 1, 1, true));
        s.add(LayerSpec.Activation.of(ActivationKind.RELU));
        s.add(flatten);
        s.add(new LayerSpec.Dense(4, true));
        s.add(LayerSpec.Activation.of(ActivationKind.SOFTMAX));
        return s.build();
    }

    private static RandomParameters calibrated(ModelSpec spec) {
        RandomParameters p = new RandomParameters(spec, 7);
        Calibration.calibrate(spec, p, -1, 1, 32, 8);
        return p;
    }

    private static List<BuiltinOperator> ops(Model m) {
        return m.mainSubgraph().operators().stream().map(o -> m.operatorCodes().get(o.opcodeIndex()).builtin())
                .toList();
    }

    @Test
    void flattenBeforeDenseWritesNoReshapeRunsLikeDesktopTfliteAndNeedsLessArena() {
        ModelSpec flat = microSpeechLike(new LayerSpec.Flatten());
        // the same graph with an explicit 1-D reshape, which stays a RESHAPE: the export Mote wrote before
        ModelSpec reshaped = microSpeechLike(new LayerSpec.Reshape(Shape.of(4000)));
        byte[] withoutReshape = TfliteExporter.export(flat, calibrated(flat)).bytes();
        byte[] withReshape = TfliteExporter.export(reshaped, calibrated(reshaped)).bytes();

        Model m = ModelReader.read(withoutReshape);
        assertEquals(List.of(BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.FULLY_CONNECTED,
                BuiltinOperator.SOFTMAX), ops(m));
        assertEquals(List.of(BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.RESHAPE,
                BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.SOFTMAX), ops(ModelReader.read(withReshape)));
        // as in the converter's micro_speech_quantized.tflite: FULLY_CONNECTED reads [1, 25, 20, 8], weights [4, 4000]
        Operator fc = m.mainSubgraph().operators().get(1);
        assertArrayEquals(new int[] {1, 25, 20, 8}, m.mainSubgraph().tensor(fc.input(0)).shape());
        assertArrayEquals(new int[] {4, 4000}, m.mainSubgraph().tensor(fc.input(1)).shape());
        assertFalse(((BuiltinOptions.FullyConnected) fc.options()).keepNumDims());

        // desktop TFLite runs it as Mote does (up to proven FULLY_CONNECTED / SOFTMAX differences)
        OracleComparison.Result r = OracleComparison.compare(withoutReshape, 100, 21);
        System.out.println("conv -> flatten -> dense without RESHAPE: " + r);
        assertTrue(r.differingOutputElements() == 0 || r.provenTies() > 0, r.toString());
        // and the RESHAPE only moved bytes: both exports compute the same outputs in Mote
        MicroInterpreter a = OracleComparison.mote(withoutReshape);
        MicroInterpreter b = OracleComparison.mote(withReshape);
        Random random = new Random(13);
        for (int n = 0; n < 50; n++) {
            byte[] input = new byte[49 * 40];
            random.nextBytes(input);
            a.input(0).copyFrom(input);
            b.input(0).copyFrom(input);
            a.invoke();
            b.invoke();
            assertArrayEquals(b.output(0).toByteArray(), a.output(0).toByteArray(), "inference " + n);
        }

        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport without = ArenaReport.of(withoutReshape, target);
            ArenaReport with = ArenaReport.of(withReshape, target);
            System.out.printf("%s arena without RESHAPE: %s; with RESHAPE: %s%n", target, without, with);
            // without: the input (1,960 -> 1,968) and the depthwise output (4,000) alive together;
            // with: the depthwise output and its flattened copy (4,000 each)
            assertEquals(5968, without.headBytes(), target.name());
            assertEquals(8000, with.headBytes(), target.name());
            assertTrue(without.tailBytes() < with.tailBytes(), target + ": one operator less to keep");
            assertTrue(without.minimumArenaBytes() < with.minimumArenaBytes(), target.name());
        }
        System.out.printf("file: %,d bytes without RESHAPE, %,d with%n", withoutReshape.length, withReshape.length);
        assertTrue(withoutReshape.length < withReshape.length, "no shape tensor, no operator");
    }

    @Test
    void flattenFeedingAnythingButADenseLayerStaysAReshape() {
        TestSpecs last = TestSpecs.input("flatten_last", 4, 4, 2);
        last.add(new LayerSpec.Conv2D(3, 3, 3, 1, 1, Padding.VALID, 1, 1, true));
        last.add(new LayerSpec.Flatten());
        TestSpecs activation = TestSpecs.input("flatten_relu", 4, 4, 2);
        activation.add(new LayerSpec.Conv2D(3, 3, 3, 1, 1, Padding.VALID, 1, 1, true));
        activation.add(new LayerSpec.Flatten());
        activation.add(LayerSpec.Activation.of(ActivationKind.TANH));
        activation.add(new LayerSpec.Dense(2, true));
        TestSpecs shared = TestSpecs.input("flatten_shared", 4, 4, 2);
        int f = shared.add(new LayerSpec.Flatten());
        int d1 = shared.add(new LayerSpec.Dense(3, true), f);
        shared.add(new LayerSpec.Concatenate(), d1, f);
        shared.add(new LayerSpec.Dense(2, true));
        for (ModelSpec spec : List.of(last.build(), activation.build(), shared.build())) {
            Model m = ModelReader.read(TfliteExporter.export(spec, new RandomParameters(spec, 3)).bytes());
            assertTrue(ops(m).contains(BuiltinOperator.RESHAPE), spec.name() + ": " + ops(m));
        }
    }

    @Test
    void reluAndRelu6AfterAddBecomeAddsFusedActivation() {
        LayerZoo.Case c = LayerZoo.residualAddRelu();
        ExportedModel exported = TfliteExporter.export(c.spec(), calibrated(c.spec()));
        Model m = ModelReader.read(exported.bytes());
        assertEquals(c.int8Ops(), ops(m));
        List<Operator> operators = m.mainSubgraph().operators();
        assertEquals(new BuiltinOptions.Add(Activation.RELU.code(), true), operators.get(1).options());
        // a 3-way sum: two nested ADDs, the activation on the second
        assertEquals(new BuiltinOptions.Add(Activation.NONE.code(), true), operators.get(3).options());
        assertEquals(new BuiltinOptions.Add(Activation.RELU6.code(), true), operators.get(4).options());
        // the relu's tensor is the ADD's output
        assertEquals(operators.get(1).output(0), exported.tensorOfNode(3));
        OracleComparison.Result r = OracleComparison.compare(exported.bytes(), 100, 23);
        System.out.println("ADD with fused RELU / RELU6: " + r);
        assertTrue(r.differingOutputElements() == 0 || r.provenTies() > 0, r.toString());
    }
}
