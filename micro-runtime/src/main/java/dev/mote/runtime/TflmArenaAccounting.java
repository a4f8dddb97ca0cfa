package dev.mote.runtime;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.internal.memory.ArenaReplay;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.memory.OperatorFootprint;
import dev.mote.runtime.internal.memory.TflmMemoryPlan;
import dev.mote.runtime.internal.memory.TflmStructs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replays, for a model and a target, what TFLM allocates in its arena from {@code MicroInterpreter} construction to
 * the end of {@code AllocateTensors()} (tflite-micro's {@code micro_interpreter.cc}, {@code micro_allocator.cc},
 * {@code micro_interpreter_graph.cc}), in order and with each allocation's alignment:
 * <ol>
 *   <li>construction: the {@code SingleArenaBufferAllocator}, the {@code GreedyMemoryPlanner} and the
 *       {@code MicroAllocator} themselves, at the tail;</li>
 *   <li>{@code StartModelAllocation}: the builtin-data allocator, the head buffer for 12 scratch requests, the
 *       {@code SubgraphAllocations}, the {@code TfLiteEvalTensor} and node-and-registration arrays;</li>
 *   <li>parsing each operator's builtin options, then each kernel's {@code Init} ({@code OpData}, 16-aligned),
 *       then each kernel's {@code Prepare} (temporary {@code TfLiteTensor}s with their quantization, persistent
 *       buffers, scratch requests, the head regrown for the next 12 requests), as each operator's kernel declared
 *       them in its prepare ({@link ModelFootprints});</li>
 *   <li>{@code FinishModelAllocation}: scratch-buffer handles, the allocation records and planner working memory as
 *       temporaries, variable tensors, then the planned head;</li>
 *   <li>the persistent input and output {@code TfLiteTensor}s (and pointer arrays).</li>
 * </ol>
 * The replay of an arena whose size is a multiple of 16 gives {@code arena_used_bytes()}; searching the sizes for
 * which every step succeeds gives the smallest arena.
 */
final class TflmArenaAccounting {
    private static final long LARGE_ARENA = 1L << 40;

    private TflmArenaAccounting() {
    }

    /** The recorded allocation sequence, the head plan, and the ops that are estimated. */
    record Program(ArenaReplay replay, TflmMemoryPlan plan, List<String> estimated) {
    }

    /** The report for {@code model} on {@code target} with the operators' footprints as declared. */
    static ArenaReport report(Model model, ArenaTarget target, ModelFootprints footprints) {
        return report(model, target, program(model, target, footprints));
    }

    /** The report of a recorded program. */
    static ArenaReport report(Model model, ArenaTarget target, Program program) {
        ArenaReplay.Outcome used = program.replay().run(LARGE_ARENA);
        if (!used.ok()) {
            throw new InvalidModelException("arena accounting failed at: " + used.failedStep().what());
        }
        long minimum = program.replay().smallestArena();
        String limitedBy = "nothing (an empty arena suffices)";
        if (minimum > 0) {
            ArenaReplay.Outcome below = program.replay().run(minimum - 1);
            limitedBy = below.ok() ? "?" : below.failedStep().what();
        }
        List<ArenaReport.TailItem> tail = new ArrayList<>();
        for (ArenaReplay.TailUse u : used.tail()) {
            tail.add(new ArenaReport.TailItem(u.category(), u.what(), (int) u.bytes()));
        }
        TflmMemoryPlan plan = program.plan();
        int peakOperator = -1;
        List<ArenaReport.BufferUse> peak = new ArrayList<>();
        if (plan.bufferCount() > 0) {
            int scope = plan.peakScope();
            peakOperator = Math.max(0, scope - 1);
            plan.buffers().stream()
                    .filter(b -> b.aliveAt(scope))
                    .sorted(Comparator.comparingInt(TflmMemoryPlan.Buffer::alignedBytes).reversed()
                            .thenComparingInt(TflmMemoryPlan.Buffer::offset))
                    .limit(3)
                    .forEach(b -> peak.add(new ArenaReport.BufferUse(name(model, b), b.tensor(), b.alignedBytes(),
                            b.offset())));
        }
        return new ArenaReport(target, toInt(used.headBytes()), toInt(used.tailBytes()), toInt(minimum), limitedBy,
                toInt(used.peakHeadDemand()), peakOperator, peak, tail, program.estimated());
    }

    private static String name(Model model, TflmMemoryPlan.Buffer b) {
        if (b.isScratch()) {
            return "scratch of operator " + b.operator();
        }
        Subgraph sg = model.subgraphs().get(b.subgraph());
        String n = sg.tensor(b.tensor()).name();
        return n.isEmpty() ? describeUnnamed(model, sg, b.tensor()) : n;
    }

    /** An unnamed tensor (exporters may drop names to save flash) by what it is: who writes it, or a model input. */
    private static String describeUnnamed(Model model, Subgraph sg, int tensor) {
        List<Operator> ops = sg.operators();
        for (int o = 0; o < ops.size(); o++) {
            for (int out : ops.get(o).outputs()) {
                if (out == tensor) {
                    return "tensor " + tensor + ", output of operator " + o + " ("
                            + model.operatorCodes().get(ops.get(o).opcodeIndex()).displayName() + ")";
                }
            }
        }
        for (int in : sg.inputs()) {
            if (in == tensor) {
                return "tensor " + tensor + ", model input";
            }
        }
        return "tensor " + tensor;
    }

    private static int toInt(long v) {
        if (v > Integer.MAX_VALUE) {
            throw new InvalidModelException("the model needs more than 2 GiB of arena (" + v + " bytes)");
        }
        return (int) v;
    }

    /** Records TFLM's allocation sequence for {@code model} on {@code target}, the operators' as declared. */
    static Program program(Model model, ArenaTarget target, ModelFootprints footprints) {
        if (footprints.subgraphCount() != model.subgraphs().size()) {
            throw new IllegalArgumentException("footprints of " + footprints.subgraphCount() + " subgraphs for a model"
                    + " of " + model.subgraphs().size());
        }
        TflmStructs s = target.structs();
        ArenaReplay r = new ArenaReplay();
        List<Subgraph> sgs = model.subgraphs();
        List<String> estimated = new ArrayList<>();

        // MicroInterpreter construction: MicroAllocator::Create(arena, size, kGreedy).
        persistent(r, "runtime", "SingleArenaBufferAllocator", s.singleArenaBufferAllocator());
        persistent(r, "runtime", "GreedyMemoryPlanner", s.greedyMemoryPlanner());
        persistent(r, "runtime", "MicroAllocator", s.microAllocator());

        // AllocateTensors → StartModelAllocation.
        persistent(r, "runtime", "MicroBuiltinDataAllocator", s.builtinDataAllocator());
        CStruct request = s.scratchBufferRequest();
        r.head("head buffer for " + TflmStructs.MAX_SCRATCH_BUFFERS_PER_OP + " scratch requests",
                (long) request.size() * TflmStructs.MAX_SCRATCH_BUFFERS_PER_OP, request.align(), false);
        r.persistent("runtime", "SubgraphAllocations", (long) s.subgraphAllocations().size() * sgs.size(),
                s.subgraphAllocations().align());
        for (int g = 0; g < sgs.size(); g++) {
            r.persistent("eval tensors", sgs.get(g).tensors().size() + " TfLiteEvalTensor (subgraph " + g + ")",
                    (long) s.evalTensor().size() * sgs.get(g).tensors().size(), s.evalTensor().align());
        }
        for (int g = 0; g < sgs.size(); g++) {
            r.persistent("nodes", sgs.get(g).operators().size() + " NodeAndRegistration (subgraph " + g + ")",
                    (long) s.nodeAndRegistration().size() * sgs.get(g).operators().size(),
                    s.nodeAndRegistration().align());
        }

        // PrepareNodeAndRegistrationDataFromFlatbuffer: builtin options.
        for (int g = 0; g < sgs.size(); g++) {
            List<Operator> ops = sgs.get(g).operators();
            for (int i = 0; i < ops.size(); i++) {
                OperatorCode code = model.operatorCodes().get(ops.get(i).opcodeIndex());
                OperatorFootprint f = footprints.operator(g, i);
                if (f.isEstimate()) {
                    estimated.add(estimateLabel(label(g, i, code), f));
                }
                if (f.builtinData() != null) {
                    persistent(r, "options", "options of " + label(g, i, code), f.builtinData());
                }
            }
        }
        // InitSubgraphs: OpData.
        for (int g = 0; g < sgs.size(); g++) {
            List<Operator> ops = sgs.get(g).operators();
            for (int i = 0; i < ops.size(); i++) {
                OperatorCode code = model.operatorCodes().get(ops.get(i).opcodeIndex());
                CStruct opData = footprints.operator(g, i).opData();
                if (opData != null) {
                    r.persistent("op data", "OpData of " + label(g, i, code), opData.size(),
                            TflmStructs.ARENA_ALIGNMENT);
                }
            }
        }
        // PrepareSubgraphs.
        List<TflmMemoryPlan.ScratchRequest> scratch = TflmMemoryPlan.scratchRequests(model, footprints);
        int requested = 0;
        for (int g = 0; g < sgs.size(); g++) {
            Subgraph sg = sgs.get(g);
            List<Operator> ops = sg.operators();
            for (int i = 0; i < ops.size(); i++) {
                OperatorCode code = model.operatorCodes().get(ops.get(i).opcodeIndex());
                String label = label(g, i, code);
                for (OperatorFootprint.PrepareStep step : footprints.operator(g, i).prepare()) {
                    if (step instanceof OperatorFootprint.TempTensor t) {
                        if (t.tensor() >= 0 && t.tensor() < sg.tensors().size()) {
                            tempTensor(r, s, sg.tensor(t.tensor()), label);
                        }
                    } else if (step instanceof OperatorFootprint.PersistentBuffer p) {
                        r.persistentClearOfTemps("kernel buffers", p.what() + " of " + label, p.bytes(),
                                TflmStructs.ARENA_ALIGNMENT);
                    }
                }
                requested += footprints.operator(g, i).scratchRequests().size();
                r.resetTemps("end of prepare of " + label);
                r.head("head buffer for " + (requested + TflmStructs.MAX_SCRATCH_BUFFERS_PER_OP)
                                + " scratch requests",
                        (long) request.size() * (requested + TflmStructs.MAX_SCRATCH_BUFFERS_PER_OP),
                        request.align(), true);
            }
        }

        // FinishModelAllocation.
        TflmMemoryPlan plan;
        try {
            plan = TflmMemoryPlan.create(model, scratch);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(e.getMessage());
        }
        if (!scratch.isEmpty()) {
            r.persistent("scratch handles", scratch.size() + " ScratchBufferHandle",
                    (long) s.scratchBufferHandle().size() * scratch.size(), s.scratchBufferHandle().align());
        }
        int sizeT = target.abi().pointerBytes();
        r.temp("subgraph offsets of the allocation records", (long) sizeT * sgs.size(), sizeT);
        r.temp(plan.allocationInfoCount() + " allocation records (AllocationInfo)",
                (long) s.allocationInfo().size() * plan.allocationInfoCount(), s.allocationInfo().align());
        int[] offline = plan.offlineOffsets();
        int flat = 0;
        for (Subgraph sg : sgs) {
            for (int t = 0; t < sg.tensors().size(); t++, flat++) {
                Tensor decl = sg.tensor(t);
                boolean online = offline == null || offline[flat] == -1;
                if (decl.isVariable() && online) {
                    r.persistent("variables", "variable tensor " + name(decl, t), TflmMemoryPlan.tensorBytes(decl),
                            TflmStructs.ARENA_ALIGNMENT);
                }
            }
        }
        r.plannerScratch("memory planner working memory for " + plan.bufferCount() + " buffers ("
                + s.plannerBytesPerBuffer() + " bytes each)", plan.bufferCount(), s.plannerBytesPerBuffer());
        r.resetTemps("end of memory planning");
        r.releaseHead("release of the scratch-request head buffer");
        r.overlay("planned head of " + plan.headBytes() + " bytes", plan.headBytes());

        // Input and output TfLiteTensors.
        Subgraph main = sgs.get(0);
        int[] inputs = main.inputs();
        int[] outputs = main.outputs();
        r.persistent("I/O tensors", "input TfLiteTensor* array", (long) target.pointerBytes() * inputs.length,
                TflmStructs.ARENA_ALIGNMENT);
        for (int t : inputs) {
            persistentTensor(r, s, main.tensor(t), "input " + name(main.tensor(t), t));
        }
        r.persistent("I/O tensors", "output TfLiteTensor* array", (long) target.pointerBytes() * outputs.length,
                TflmStructs.ARENA_ALIGNMENT);
        for (int t : outputs) {
            persistentTensor(r, s, main.tensor(t), "output " + name(main.tensor(t), t));
        }
        return new Program(r, plan, estimated);
    }

    /** How an estimated operator is listed: by its label, and why when its kernel refused it. */
    private static String estimateLabel(String label, OperatorFootprint f) {
        return f.estimateDetail() == null ? label : label + ": " + f.estimateDetail();
    }

    private static String label(int subgraph, int op, OperatorCode code) {
        return (subgraph == 0 ? "" : "subgraph " + subgraph + " ") + "operator " + op + " (" + code.displayName() + ")";
    }

    private static String name(Tensor t, int index) {
        return t.name().isEmpty() ? "tensor " + index : t.name();
    }

    private static void persistent(ArenaReplay r, String category, String what, CStruct c) {
        r.persistent(category, what, c.size(), c.align());
    }

    private static boolean hasAffineQuantization(Tensor t) {
        Quantization q = t.quantization();
        return q.channelCount() > 0 && q.zeroPoints().length > 0;
    }

    /** {@code AllocateTempTfLiteTensor}: the struct, and its quantization copied into temporaries. */
    private static void tempTensor(ArenaReplay r, TflmStructs s, Tensor t, String label) {
        r.temp("temporary TfLiteTensor in prepare of " + label, s.tfLiteTensor().size(), s.tfLiteTensor().align());
        if (hasAffineQuantization(t)) {
            // read later: its scale and zero-point pointers; never: the zero points
            r.temp("temporary quantization in prepare of " + label, s.affineQuantization().size(),
                    s.affineQuantization().align(), 2L * s.abi().pointerBytes());
            r.temp("temporary zero points in prepare of " + label,
                    TflmStructs.intArrayBytes(t.quantization().channelCount()), s.intArray().align(), 0);
        }
    }

    /** {@code AllocatePersistentTfLiteTensor}: the struct and its quantization, at the tail. */
    private static void persistentTensor(ArenaReplay r, TflmStructs s, Tensor t, String what) {
        persistent(r, "I/O tensors", "TfLiteTensor of " + what, s.tfLiteTensor());
        if (hasAffineQuantization(t)) {
            persistent(r, "I/O tensors", "quantization of " + what, s.affineQuantization());
            r.persistent("I/O tensors", "zero points of " + what,
                    TflmStructs.intArrayBytes(t.quantization().channelCount()), s.intArray().align());
        }
    }
}
