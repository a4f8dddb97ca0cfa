package dev.mote.runtime;

import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arena report on models beyond the measured ones, and the interpreter's arena check. */
class ArenaReportTest {
    private static final Quantization Q = Quantization.perTensor(0.05f, -3);

    private static byte[] singleAdd() {
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.INT8, new int[] {1, 4}, Q);
        int y = b.addInput("y", TensorType.INT8, new int[] {1, 4}, Q);
        int z = b.addTensor("z", TensorType.INT8, new int[] {1, 4}, Q);
        b.addOperator(BuiltinOperator.ADD, 1, new BuiltinOptions.Add(Activation.NONE.code(), false),
                new int[] {x, y}, new int[] {z});
        b.addOutput(z);
        return b.toBytes();
    }

    /**
     * A worked example, by hand from TFLM's sources (Cortex-M sizes): allocator objects 36 + 44 + 36, builtin data
     * allocator 8, subgraph allocations 8, 3 eval tensors 36, 1 node 32, TfLiteAddParams 2 (align 1), OpDataAdd 60
     * at 16 alignment (ends at 272), input pointer array 8 (288), two quantized input tensors 2 x (32 + 12 + 8),
     * output pointer array 4 (400), the output tensor 32 + 12 + 8: 452 bytes of tail. Head: three 16-byte buffers
     * alive together, 48. The memory planner then needs, above the 144-byte scratch-request head, 4 + 72 bytes of
     * allocation records (aligned up to 224) and 3 x 40 bytes, so the OpData (aligned down to 16) must start at or
     * above 352: an arena of at least 262 + 352 = 614 bytes, and a multiple of 4 so that the 4-aligned allocator
     * objects waste nothing at the end: 616.
     */
    @Test
    void singleAddMatchesAHandComputedCortexMFootprint() {
        ArenaReport r = ArenaReport.of(singleAdd(), ArenaTarget.CORTEX_M);
        assertEquals(48, r.headBytes(), r::toText);
        assertEquals(452, r.tailBytes(), r::toText);
        assertEquals(500, r.usedBytes());
        assertEquals(616, r.minimumArenaBytes(), r::toText);
        assertTrue(r.limitedBy().startsWith("memory planner"), r.limitedBy());
        assertTrue(r.exact());
    }

    @Test
    void singleAddOnHost64() {
        ArenaReport r = ArenaReport.of(singleAdd(), ArenaTarget.HOST_64);
        // 72+72+72 allocator objects, 16+16, eval 72, node 64, params 8, OpDataAdd 60 -> 464, then I/O tensors
        assertEquals(784, r.tailBytes(), r::toText);
        assertEquals(832, r.usedBytes());
    }

    private static byte[] smallCnn() {
        ModelBuilder b = new ModelBuilder();
        Quantization perChannel8 = Quantization.perChannel(new float[] {.01f, .02f, .01f, .02f, .01f, .02f, .01f,
                .02f}, new long[8], 0);
        int in = b.addInput("image", TensorType.INT8, new int[] {1, 8, 8, 1}, Q);
        int w = b.addConstant("conv/w", TensorType.INT8, new int[] {8, 3, 3, 1}, new byte[72], perChannel8);
        int bias = b.addInt32Constant("conv/b", new int[] {8}, new int[8], Quantization.NONE);
        int c = b.addTensor("conv", TensorType.INT8, new int[] {1, 8, 8, 8}, Q);
        b.addOperator(BuiltinOperator.CONV_2D, 3, BuiltinOptions.Conv2D.of(Padding.SAME, 1, 1, Activation.RELU),
                new int[] {in, w, bias}, new int[] {c});
        int p = b.addTensor("pool", TensorType.INT8, new int[] {1, 4, 4, 8}, Q);
        b.addOperator(BuiltinOperator.MAX_POOL_2D, 2, new BuiltinOptions.Pool2D(Padding.VALID.code(), 2, 2, 2, 2, 0),
                new int[] {c}, new int[] {p});
        int axis = b.addInt32Constant("axis", new int[] {2}, new int[] {1, 2}, Quantization.NONE);
        int m = b.addTensor("mean", TensorType.INT8, new int[] {1, 8}, Q);
        b.addOperator(BuiltinOperator.MEAN, 2, new BuiltinOptions.Reducer(false), new int[] {p, axis},
                new int[] {m});
        b.addOutput(m);
        return b.toBytes();
    }

    @Test
    void convolutionPoolingAndMeanAreModeledExactly() {
        ArenaReport r = ArenaReport.of(smallCnn(), ArenaTarget.CORTEX_M);
        assertTrue(r.exact(), r::toText);
        List<ArenaReport.TailItem> perChannel = r.tail().stream()
                .filter(i -> i.what().startsWith("per-channel")).toList();
        assertEquals(2, perChannel.size(), r::toText);
        assertTrue(r.tail().stream().anyMatch(i -> i.what().equals("OpData of operator 1 (MAX_POOL_2D)")));
        // greedy, as TFLM: conv output 512 at 0, pool output 128 above it (alive together in MAX_POOL), the input
        // above the conv output too, the MEAN output and its 32-byte int32 scratch reuse the bottom: 640
        assertEquals(640, r.headBytes(), r::toText);
        assertEquals(1, r.peakOperator());
        assertEquals(List.of("conv", "pool"), r.peakTensors().stream().map(ArenaReport.BufferUse::name).toList());
        assertTrue(r.tail().stream().anyMatch(i -> i.category().equals("scratch handles")), r::toText);
    }

    @Test
    void interpreterPlanWithMotesKernelsEqualsTheReportsPlanIncludingScratch() {
        byte[] model = smallCnn();
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), 8192);
        interpreter.allocateTensors();
        interpreter.invoke();
        int[] reportOffsets = TflmArenaAccounting.program(interpreter.model(), ArenaTarget.CORTEX_M,
                        ModelFootprints.record(model, OpResolver.allBuiltins(), ArenaTarget.CORTEX_M)).plan().buffers()
                .stream().mapToInt(dev.mote.runtime.internal.memory.TflmMemoryPlan.Buffer::offset).toArray();
        assertEquals(Arrays.toString(reportOffsets), Arrays.toString(interpreter.bufferOffsets()));
        assertEquals(7, reportOffsets.length); // 4 activations and MEAN's 3 scratch buffers (TFLM 90b983c2)
    }

    @Test
    void opsOutsideTheTableAreReportedAsEstimates() {
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.FLOAT32, new int[] {4}, Quantization.NONE);
        int y = b.addTensor("y", TensorType.FLOAT32, new int[] {4}, Quantization.NONE);
        b.addOperator(BuiltinOperator.FLOOR, 1, BuiltinOptions.NONE, new int[] {x}, new int[] {y});
        b.addOutput(y);
        ArenaReport r = ArenaReport.of(b.toBytes(), ArenaTarget.HOST_64);
        assertFalse(r.exact());
        assertEquals(List.of("operator 0 (FLOOR)"), r.estimatedOps());
    }

    @Test
    void aNodeMotesKernelRefusesIsReportedAsEstimatedWithTheReason() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 4}, Q);
        int w = b.addConstant("w", TensorType.INT8, new int[] {2, 4}, new byte[8], Quantization.perTensor(0.1f, 0));
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 2}, Q);
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 4, new BuiltinOptions.FullyConnected(9, 0, false, false),
                new int[] {in, w, -1}, new int[] {out});
        b.addOutput(out);
        ArenaReport r = ArenaReport.of(b.toBytes(), ArenaTarget.CORTEX_M);
        assertFalse(r.exact(), r::toText);
        assertEquals(List.of("operator 0 (FULLY_CONNECTED): its kernel refused it: fused_activation_function: "
                + "unsupported value 9; its footprint declaration refused it: filter.quantization: has 1 scale(s): only "
                + "per-channel weights have a footprint-only declaration"), r.estimatedOps());
    }

    @Test
    void interpreterAllocatesInExactlyTheSmallestArenaAndRefusesOneByteLess() {
        byte[] model = ReferenceModels.bytes("hello_world_int8.tflite");
        for (ArenaTarget target : ArenaTarget.values()) {
            int minimum = ArenaReport.of(model, target).minimumArenaBytes();
            MicroInterpreter ok = new MicroInterpreter(model, OpResolver.allBuiltins(), minimum, target);
            ok.allocateTensors();
            ok.input(0).setInt8(0, 0);
            ok.invoke();
            assertEquals(minimum, target == ArenaTarget.CORTEX_M ? 1068 : 1608);
            MicroInterpreter tooSmall = new MicroInterpreter(model, OpResolver.allBuiltins(), minimum - 1, target);
            ArenaTooSmallException e = assertThrows(ArenaTooSmallException.class, tooSmall::allocateTensors);
            assertEquals(minimum, e.neededBytes());
            assertEquals(minimum - 1, e.givenBytes());
        }
    }

    @Test
    void interpreterPlacesTensorsWhereTflmDoes() {
        byte[] model = ReferenceModels.bytes("hello_world_int8.tflite");
        // placement is the point here: arena guard mode (-Dmote.arenaGuard=true) moves every buffer on purpose
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), 4096,
                MicroInterpreter.Options.defaults().withArenaGuard(false));
        interpreter.allocateTensors();
        dev.mote.runtime.internal.memory.TflmMemoryPlan plan = dev.mote.runtime.internal.memory.TflmMemoryPlan
                .create(interpreter.model(), List.of());
        for (dev.mote.runtime.internal.memory.TflmMemoryPlan.Buffer b : plan.buffers()) {
            assertEquals(b.offset(), interpreter.tensor(b.tensor()).dataOffset(), "tensor " + b.tensor());
        }
        // input and layer-1 output share bytes 16..31 (not alive together); layer 0 output and the output 0..15
        assertEquals("[16, 0, 16, 0]", Arrays.toString(plan.buffers().stream()
                .mapToInt(dev.mote.runtime.internal.memory.TflmMemoryPlan.Buffer::offset).toArray()));
    }

    @Test
    void toTextPrintsTheSameDigitsUnderAGermanDefaultLocale() {
        ArenaReport r = ArenaReport.of(ReferenceModels.bytes("micro_speech_quantized.tflite"), ArenaTarget.CORTEX_M);
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            String text = r.toText();
            assertTrue(text.contains("smallest arena                6,800 bytes"), text);
            assertTrue(text.contains("arena_used_bytes              6,788 bytes"), text);
            assertFalse(text.contains("6.800"), text);
        } finally {
            Locale.setDefault(saved);
        }
    }
}
