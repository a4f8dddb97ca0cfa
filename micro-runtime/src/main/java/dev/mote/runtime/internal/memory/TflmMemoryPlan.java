package dev.mote.runtime.internal.memory;

import dev.mote.runtime.ModelFootprints;
import dev.mote.runtime.format.DataBuffer;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * TFLM's static memory plan of the arena head ({@code CommitStaticMemoryPlan} with {@code AllocationInfoBuilder}):
 * one allocation record per tensor of every subgraph and per scratch request, lifetimes counted in TFLM's
 * allocation scopes (scope 0 is the subgraph start, operator {@code i} is scope {@code i + 1}; subgraph inputs live
 * from 0, outputs to the last scope), sizes rounded up to 16 bytes, placed by {@link GreedyMemoryPlanner}.
 *
 * <pre>{@code
 * TflmMemoryPlan plan = TflmMemoryPlan.create(model, List.of());
 * int head = plan.headBytes();
 * }</pre>
 */
public final class TflmMemoryPlan {
    /** Metadata name of offline-planned tensor offsets. */
    public static final String OFFLINE_METADATA = "OfflineMemoryAllocation";

    /** A scratch buffer requested by operator {@code operator} of subgraph {@code subgraph} during prepare. */
    public record ScratchRequest(int subgraph, int operator, long bytes) {
    }

    /**
     * A planned buffer: a tensor (tensor index {@code >= 0}) or a scratch buffer ({@code tensor == -1},
     * {@code scratch} its request index, {@code operator} the requesting operator). Lifetimes in TFLM scopes;
     * {@code alignedBytes} as placed.
     */
    public record Buffer(int subgraph, int tensor, int scratch, int operator, long bytes, int alignedBytes,
                         int firstUsed, int lastUsed, int offset) {

        public boolean isScratch() {
            return tensor < 0;
        }

        /** Whether the buffer is alive in scope {@code scope}. */
        public boolean aliveAt(int scope) {
            return firstUsed <= scope && scope <= lastUsed;
        }
    }

    private final List<Buffer> buffers;
    private final int headBytes;
    private final int allocationInfoCount;
    private final int tensorCount;
    private final int scopeCount;
    private final int[] offlineOffsets;

    private TflmMemoryPlan(List<Buffer> buffers, int headBytes, int allocationInfoCount, int tensorCount,
                           int scopeCount, int[] offlineOffsets) {
        this.buffers = List.copyOf(buffers);
        this.headBytes = headBytes;
        this.allocationInfoCount = allocationInfoCount;
        this.tensorCount = tensorCount;
        this.scopeCount = scopeCount;
        this.offlineOffsets = offlineOffsets;
    }

    /** Element size in bytes as TFLM's {@code TfLiteTypeSizeOf} counts it (int4 activations as one byte). */
    public static int elementBytes(TensorType type) {
        if (type == TensorType.INT4) {
            return 1;
        }
        return type.bytesPerElement();
    }

    /** {@code TfLiteEvalTensorByteLength} of a tensor declaration. */
    public static long tensorBytes(Tensor t) {
        return t.elementCount() * elementBytes(t.type());
    }

    /** Whether a tensor takes its data from the model (a non-empty buffer). */
    public static boolean isConstant(Model model, Tensor t) {
        int b = t.buffer();
        return b > 0 && b < model.buffers().size() && !model.buffer(b).isEmpty();
    }

    /**
     * The offline-planned offsets of the model's {@value #OFFLINE_METADATA} metadata, one per tensor of all
     * subgraphs ({@code -1} = online), or {@code null} if the model has none.
     *
     * @throws IllegalArgumentException if the metadata's tensor count differs from the model's (TFLM refuses)
     */
    public static int[] offlineOffsets(Model model) {
        Optional<DataBuffer> md = model.metadata(OFFLINE_METADATA);
        if (md.isEmpty()) {
            return null;
        }
        DataBuffer b = md.get();
        int total = 0;
        for (Subgraph sg : model.subgraphs()) {
            total += sg.tensors().size();
        }
        if (b.length() < 12) {
            throw new IllegalArgumentException(OFFLINE_METADATA + " metadata is " + b.length() + " bytes, too short");
        }
        long count = u32(b, 8);
        if (count != total || b.length() < 12 + 4L * count) {
            throw new IllegalArgumentException(OFFLINE_METADATA + " metadata has " + count
                    + " offsets, the model has " + total + " tensors");
        }
        int[] offsets = new int[total];
        for (int i = 0; i < total; i++) {
            offsets[i] = (int) u32(b, 12 + 4 * i);
        }
        return offsets;
    }

    private static long u32(DataBuffer b, int at) {
        return (b.get(at) & 0xFFL) | (b.get(at + 1) & 0xFFL) << 8 | (b.get(at + 2) & 0xFFL) << 16
                | (b.get(at + 3) & 0xFFL) << 24;
    }

    /**
     * The scratch buffers the operators' kernels request in prepare, as {@code footprints} recorded them, in TFLM's
     * request order (subgraph by subgraph, operator by operator, each operator's in the order it asked).
     */
    public static List<ScratchRequest> scratchRequests(Model model, ModelFootprints footprints) {
        List<ScratchRequest> scratch = new ArrayList<>();
        for (int g = 0; g < model.subgraphs().size(); g++) {
            for (int i = 0; i < model.subgraphs().get(g).operators().size(); i++) {
                for (long bytes : footprints.operator(g, i).scratchRequests()) {
                    scratch.add(new ScratchRequest(g, i, bytes));
                }
            }
        }
        return scratch;
    }

    /**
     * The head plan of {@link dev.mote.runtime.ArenaReport} for the same model and footprints: every planned
     * tensor and scratch buffer with its lifetime and offset, for tools that show the layout.
     *
     * <pre>{@code
     * ModelFootprints f = ModelFootprints.record(model, OpResolver.allBuiltins(), ArenaTarget.CORTEX_M);
     * for (TflmMemoryPlan.Buffer b : TflmMemoryPlan.of(model, f).buffers()) { ... }
     * }</pre>
     *
     * @throws IllegalArgumentException if the model's offline-planned offsets do not match its tensors
     */
    public static TflmMemoryPlan of(Model model, ModelFootprints footprints) {
        return create(model, scratchRequests(model, footprints));
    }

    /** The plan for {@code model} with the given scratch requests (in request order). */
    public static TflmMemoryPlan create(Model model, List<ScratchRequest> scratch) {
        return create(model, scratch, offlineOffsets(model));
    }

    /** The plan with explicit offline offsets ({@code null} for none). */
    public static TflmMemoryPlan create(Model model, List<ScratchRequest> scratch, int[] offline) {
        List<Subgraph> sgs = model.subgraphs();
        int[] base = new int[sgs.size()];
        int total = 0;
        for (int s = 0; s < sgs.size(); s++) {
            base[s] = total;
            total += sgs.get(s).tensors().size();
        }
        int count = total + scratch.size();
        int[] first = new int[count];
        int[] last = new int[count];
        Arrays.fill(first, -1);
        Arrays.fill(last, -1);
        Lifetimes lifetimes = new Lifetimes(model, base, first, last, scratch, total);
        lifetimes.mark(0);

        GreedyMemoryPlanner planner = new GreedyMemoryPlanner();
        List<int[]> added = new ArrayList<>(); // {subgraph, tensor, scratch, operator}
        List<Long> bytesOf = new ArrayList<>();
        for (int s = 0; s < sgs.size(); s++) {
            Subgraph sg = sgs.get(s);
            for (int t = 0; t < sg.tensors().size(); t++) {
                Tensor decl = sg.tensor(t);
                long bytes = tensorBytes(decl);
                boolean needs = !isConstant(model, decl) && !decl.isVariable() && bytes != 0;
                if (!needs) {
                    continue;
                }
                int i = base[s] + t;
                int offlineOffset = offline == null ? GreedyMemoryPlanner.ONLINE : offline[i];
                planner.addBuffer(align16(bytes), first[i], last[i], offlineOffset);
                added.add(new int[] {s, t, -1, -1});
                bytesOf.add(bytes);
            }
        }
        for (int r = 0; r < scratch.size(); r++) {
            int i = total + r;
            planner.addBuffer(align16(scratch.get(r).bytes()), first[i], last[i]);
            added.add(new int[] {scratch.get(r).subgraph(), -1, r, scratch.get(r).operator()});
            bytesOf.add(scratch.get(r).bytes());
        }
        List<Buffer> buffers = new ArrayList<>();
        for (int b = 0; b < added.size(); b++) {
            int[] a = added.get(b);
            buffers.add(new Buffer(a[0], a[1], a[2], a[3], bytesOf.get(b), planner.size(b), planner.firstUsed(b),
                    planner.lastUsed(b), planner.offset(b)));
        }
        return new TflmMemoryPlan(buffers, planner.maximumMemorySize(), count, total, lifetimes.scope + 1,
                offline);
    }

    private static int align16(long bytes) {
        long aligned = (bytes + 15) & ~15L;
        if (aligned > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buffer of " + bytes + " bytes is too large for a TFLM arena");
        }
        return (int) aligned;
    }

    /** {@code AllocationInfoBuilder::MarkAllocationLifetimes}, including control-flow subgraphs. */
    private static final class Lifetimes {
        final Model model;
        final int[] base;
        final int[] first;
        final int[] last;
        final List<ScratchRequest> scratch;
        final int scratchBase;
        int scope;

        Lifetimes(Model model, int[] base, int[] first, int[] last, List<ScratchRequest> scratch, int scratchBase) {
            this.model = model;
            this.base = base;
            this.first = first;
            this.last = last;
            this.scratch = scratch;
            this.scratchBase = scratchBase;
        }

        void created(int i, int at) {
            if (first[i] == -1) {
                first[i] = at;
            }
        }

        void used(int i, int at) {
            last[i] = at;
        }

        void mark(int s) {
            Subgraph sg = model.subgraphs().get(s);
            for (int t : sg.inputs()) {
                created(base[s] + t, scope);
                used(base[s] + t, scope);
            }
            List<Operator> ops = sg.operators();
            for (int i = 0; i < ops.size(); i++) {
                scope++;
                Operator op = ops.get(i);
                for (int t : op.outputs()) {
                    created(base[s] + t, scope);
                }
                int start = scope;
                for (int callee : calledSubgraphs(op)) {
                    if (callee >= 0 && callee < model.subgraphs().size()) {
                        scope++;
                        mark(callee);
                    }
                }
                for (int t : op.inputs()) {
                    if (t >= 0) {
                        used(base[s] + t, scope);
                    }
                }
                for (int t : op.outputs()) {
                    used(base[s] + t, scope);
                }
                for (int r = 0; r < scratch.size(); r++) {
                    ScratchRequest req = scratch.get(r);
                    if (req.operator() == i && req.subgraph() == s) {
                        created(scratchBase + r, start);
                        used(scratchBase + r, scope);
                    }
                }
            }
            for (int t : sg.outputs()) {
                created(base[s] + t, scope);
                used(base[s] + t, scope);
            }
        }

        /**
         * Subgraphs a control-flow operator invokes. Mote's reader does not decode IF/WHILE/CALL_ONCE options, so
         * their subgraphs are not entered (Mote has no kernel for such ops, so their arena figures are flagged estimates, see {@link EstimatedFootprint}).
         */
        private List<Integer> calledSubgraphs(Operator op) {
            return Collections.emptyList();
        }
    }

    /** All planned buffers, tensors first (in tensor order), then scratch buffers (in request order). */
    public List<Buffer> buffers() {
        return buffers;
    }

    /** The planned head: the highest end offset of any buffer ({@code GetMaximumMemorySize}). */
    public int headBytes() {
        return headBytes;
    }

    /** Planned buffers (what the greedy planner needs scratch for). */
    public int bufferCount() {
        return buffers.size();
    }

    /** Allocation records TFLM builds: every tensor of every subgraph plus every scratch request. */
    public int allocationInfoCount() {
        return allocationInfoCount;
    }

    public int tensorCount() {
        return tensorCount;
    }

    /** Scopes 0..scopeCount-1 (0 = subgraph start, i + 1 = operator i of the main subgraph). */
    public int scopeCount() {
        return scopeCount;
    }

    /** The offline offsets in use, or {@code null}. */
    public int[] offlineOffsets() {
        return offlineOffsets == null ? null : offlineOffsets.clone();
    }

    /** The planned buffer of tensor {@code tensor} of subgraph {@code subgraph}, if it is planned. */
    public Optional<Buffer> bufferOf(int subgraph, int tensor) {
        for (Buffer b : buffers) {
            if (b.subgraph() == subgraph && b.tensor() == tensor) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** Bytes of the head in use during {@code scope}: the highest end offset of the buffers alive then. */
    public int inUseAt(int scope) {
        int max = 0;
        for (Buffer b : buffers) {
            if (b.aliveAt(scope)) {
                max = Math.max(max, b.offset() + b.alignedBytes());
            }
        }
        return max;
    }

    /** Bytes of all buffers alive during {@code scope} (as planned, rounded up to 16). */
    public int liveBytesAt(int scope) {
        int sum = 0;
        for (Buffer b : buffers) {
            if (b.aliveAt(scope)) {
                sum += b.alignedBytes();
            }
        }
        return sum;
    }

    /** The first scope in which the most bytes are alive (the memory peak), or 0 if nothing is planned. */
    public int peakScope() {
        int best = 0;
        int bestBytes = -1;
        for (int s = 0; s < scopeCount; s++) {
            int bytes = liveBytesAt(s);
            if (bytes > bestBytes) {
                best = s;
                bestBytes = bytes;
            }
        }
        return best;
    }
}
