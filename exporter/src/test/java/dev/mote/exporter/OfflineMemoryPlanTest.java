package dev.mote.exporter;

import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.internal.kernels.Mean;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.testing.ReferenceModels;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OfflineMemoryAllocation plan: valid, never worse than TFLM's greedy plan, better where it can be. */
class OfflineMemoryPlanTest {

    /** Asserts that no two tensors alive at the same operator share arena bytes (lifetimes recomputed here). */
    static void assertValid(byte[] bytes, int[] offsets, int planned) {
        Model m = ModelReader.read(bytes);
        Subgraph sg = m.mainSubgraph();
        int n = sg.tensors().size();
        assertEquals(n, offsets.length);
        int[] first = new int[n];
        int[] last = new int[n];
        Arrays.fill(first, Integer.MAX_VALUE);
        Arrays.fill(last, -1);
        for (int in : sg.inputs()) {
            first[in] = 0;
        }
        for (int i = 0; i < sg.operators().size(); i++) {
            Operator op = sg.operators().get(i);
            for (int t : op.inputs()) {
                if (t >= 0) {
                    last[t] = Math.max(last[t], i);
                }
            }
            for (int t : op.outputs()) {
                first[t] = Math.min(first[t], i);
                last[t] = Math.max(last[t], i);
            }
        }
        for (int out : sg.outputs()) {
            last[out] = sg.operators().size() - 1;
        }
        for (int a = 0; a < n; a++) {
            // constants live in flash, variables (LSTM states) in TFLM's persistent area
            boolean constant = !m.buffer(sg.tensor(a).buffer()).isEmpty() || sg.tensor(a).isVariable();
            assertEquals(constant, offsets[a] < 0, "tensor " + a + " is planned iff it is not constant or variable");
            if (offsets[a] < 0) {
                continue;
            }
            long size = sg.tensor(a).byteSize();
            assertTrue(offsets[a] % 16 == 0 && offsets[a] + size <= planned, "tensor " + a + " fits, aligned");
            for (int b = a + 1; b < n; b++) {
                if (offsets[b] < 0 || first[a] > last[b] || first[b] > last[a]) {
                    continue;
                }
                boolean disjoint = offsets[a] + size <= offsets[b] || offsets[b] + sg.tensor(b).byteSize() <= offsets[a];
                assertTrue(disjoint, "tensors " + a + " and " + b + " are alive together and overlap");
            }
        }
    }

    @Test
    void beatsGreedyWhereLargestFirstIsSuboptimal() {
        ModelSpec spec = TestSpecs.input("chain", 64)
                .then(new LayerSpec.Dense(32, true))
                .then(new LayerSpec.Dense(16, true))
                .then(new LayerSpec.Dense(64, true))
                .build();
        RandomParameters p = new RandomParameters(spec, 8);
        ExportedModel plain = TfliteExporter.export(spec, p);
        ExportedModel planned = TfliteExporter.export(spec, p, ExportOptions.int8().withOfflineMemoryPlan(true));
        MemoryPlan plan = planned.memoryPlan().orElseThrow();
        assertEquals(112, plan.greedyBytes(), "TFLM greedy: input 64 @0, output 64 @0, 32 @64, 16 @96");
        assertEquals(96, plan.plannedBytes());
        assertTrue(plan.isOptimal());
        assertEquals(16, plan.savedBytes());
        assertArrayEquals(plan.tensorOffsets(), OfflineMemoryPlanner.readOffsets(planned.bytes()));
        assertValid(planned.bytes(), plan.tensorOffsets(), plan.plannedBytes());
        assertEquals(plan.greedyBytes(), plain.arenaReport(ArenaTarget.CORTEX_M).headBytes(),
                "the planner's model of TFLM's buffers matches Mote's arena report");
        byte[] input = new byte[64];
        new Random(1).nextBytes(input);
        assertArrayEquals(TfliteOracle.runOnce(plain.bytes(), input), TfliteOracle.runOnce(planned.bytes(), input));
        MicroInterpreter mote = OracleComparison.mote(planned.bytes());
        mote.input(0).copyFrom(input);
        mote.invoke();
        assertArrayEquals(TfliteOracle.runOnce(plain.bytes(), input), mote.output(0).toByteArray());
        System.out.println("chain 64→32→16→64: " + plan + "; file grows by " + (planned.size() - plain.size())
                + " bytes");
    }

    @Test
    void everyZooModelGetsAValidPlanNoWorseThanGreedy() {
        for (LayerZoo.Case c : LayerZoo.all()) {
            RandomParameters p = new RandomParameters(c.spec(), 2);
            ExportedModel plain = TfliteExporter.export(c.spec(), p);
            ExportedModel planned = TfliteExporter.export(c.spec(), p,
                    ExportOptions.int8().withOfflineMemoryPlan(true));
            MemoryPlan plan = planned.memoryPlan().orElseThrow();
            assertValid(planned.bytes(), plan.tensorOffsets(), plan.plannedBytes());
            assertTrue(plan.plannedBytes() <= plan.greedyBytes(), c.name());
            assertTrue(plan.plannedBytes() >= plan.lowerBoundBytes(), c.name());
            assertEquals(plan.greedyBytes(), plain.arenaReport(ArenaTarget.CORTEX_M).headBytes(), c.name()
                    + ": the planner's model of TFLM's buffers (incl. scratch) matches Mote's arena report");
            System.out.printf("%s: %s%n", c.name(), plan);
        }
    }

    @Test
    void scratchBuffersArePlacedByTflmAroundThePlan() {
        // three tensors in a chain and a scratch buffer during the middle operator
        int[][] rows = {{64, 0, 1, 0}, {32, 1, 2, 0}, {64, 2, 3, 0}, {48, 1, 1, 1}};
        OfflineMemoryPlanner.Solution s = OfflineMemoryPlanner.solve(rows);
        assertTrue(s.planned() <= s.greedy());
        assertEquals(s.lowerBound(), s.planned(), "4 buffers: the exhaustive search finds the optimum");
        int[] o = s.offsets();
        assertTrue(o[3] >= o[1] + 32 || o[3] + 48 <= o[1], "scratch and the tensor alive with it do not overlap");
    }

    @Test
    void microSpeechReferenceModel() {
        byte[] bytes = ReferenceModels.bytes("micro_speech_quantized.tflite");
        MemoryPlan plan = OfflineMemoryPlanner.plan(bytes);
        byte[] embedded = OfflineMemoryPlanner.embed(bytes, plan);
        assertValid(embedded, OfflineMemoryPlanner.readOffsets(embedded), plan.plannedBytes());
        assertFalse(plan.plannedBytes() > plan.greedyBytes());
        System.out.println("micro_speech_quantized: " + plan);
        byte[] input = new byte[1960];
        new Random(4).nextBytes(input);
        assertArrayEquals(TfliteOracle.runOnce(bytes, input), TfliteOracle.runOnce(embedded, input));
    }

    /** int8 [1, 4, 4, 8] → MEAN over height and width → [1, 8]: TFLM's MEAN asks for 32 bytes of int32 sums. */
    private static byte[] int8Mean() {
        Quantization q = Quantization.perTensor(0.05f, -3);
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("image", TensorType.INT8, new int[] {1, 4, 4, 8}, q);
        int axis = b.addInt32Constant("axis", new int[] {2}, new int[] {1, 2}, Quantization.NONE);
        int out = b.addTensor("mean", TensorType.INT8, new int[] {1, 8}, q);
        b.addOperator(BuiltinOperator.MEAN, 2, new BuiltinOptions.Reducer(false), new int[] {in, axis},
                new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    /** Mote's MEAN plus a second scratch request of 1,000 bytes. */
    static final class MeanWithMoreScratch implements Kernel {
        private final Mean mean = new Mean();

        @Override
        public void prepare(NodeContext node) {
            mean.prepare(node);
            node.requestScratch(1000);
        }

        @Override
        public void invoke(NodeContext node) {
            mean.invoke(node);
        }
    }

    /** The head the interpreter plans for a model with an embedded plan, and the plan's own figure. */
    private static void assertInterpreterHeadIsThePlan(byte[] model, OpResolver resolver, MemoryPlan plan) {
        byte[] embedded = OfflineMemoryPlanner.embed(model, plan);
        MicroInterpreter interpreter = new MicroInterpreter(embedded, resolver, 64 << 10);
        interpreter.allocateTensors();
        assertEquals(plan.plannedBytes(), interpreter.arenaReport().headBytes(), plan.toString());
    }

    @Test
    void offlinePlannerAndInterpreterTakeMeansScratchFromTheKernel() {
        byte[] model = int8Mean();
        MemoryPlan builtin = OfflineMemoryPlanner.plan(model);
        assertInterpreterHeadIsThePlan(model, OpResolver.allBuiltins(), builtin);
        // TFLM 90b983c2's MEAN requests three scratch buffers: the int32 accumulator (8 x 4), the iteration index
        // (4 dimensions x 4) and the resolved axes (2 x 4), each planned 16-aligned
        assertEquals(128 + 16 + 32 + 16 + 16, builtin.greedyBytes(), "input, output and MEAN's scratch buffers: "
                + builtin);

        OpResolver custom = OpResolver.builder().add(BuiltinOperator.MEAN, MeanWithMoreScratch::new).build();
        MemoryPlan withCustom = OfflineMemoryPlanner.plan(model, custom, ArenaTarget.CORTEX_M);
        assertInterpreterHeadIsThePlan(model, custom, withCustom);
        assertEquals(builtin.greedyBytes() + 1008, withCustom.greedyBytes(), withCustom.toString());
    }
}
