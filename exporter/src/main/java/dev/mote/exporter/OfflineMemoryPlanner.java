package dev.mote.exporter;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.ModelFootprints;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.DataBuffer;
import dev.mote.runtime.format.MetadataEntry;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.ModelWriter;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.internal.memory.GreedyMemoryPlanner;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Plans a model's arena offline and writes the plan as TFLM's {@code OfflineMemoryAllocation} metadata
 * ({@code int32[]: version 0, subgraph 0, tensor count, one offset per tensor or -1}).
 *
 * <p>TFLM's greedy planner places buffers largest first at the lowest free offset. Mote searches placement orders
 * instead — every order for up to {@value #EXHAUSTIVE_LIMIT} buffers (first-fit over all orders reaches the
 * optimum), otherwise several heuristic orders and up to {@value #RANDOM_ORDERS} seeded random ones — and evaluates each exactly as TFLM would
 * run it: tensors at their planned offsets, the kernels' scratch buffers placed by TFLM's greedy planner around
 * them. It keeps the best plan, never one worse than TFLM's own.
 *
 * <pre>{@code
 * MemoryPlan plan = OfflineMemoryPlanner.plan(modelBytes);
 * byte[] withPlan = OfflineMemoryPlanner.embed(modelBytes, plan);
 * }</pre>
 */
public final class OfflineMemoryPlanner {
    /** The metadata name TFLM looks for. */
    public static final String METADATA_NAME = "OfflineMemoryAllocation";
    static final int EXHAUSTIVE_LIMIT = 8;
    private static final int RANDOM_ORDERS = 2000;

    private OfflineMemoryPlanner() {
    }

    /** One arena buffer: a tensor (index >= 0) or a scratch buffer (tensor -1), alive over [first, last]. */
    private record Buffer(int tensor, int size, int first, int last) {
        boolean overlaps(Buffer o) {
            return first <= o.last && o.first <= last;
        }
    }

    /**
     * Plans the arena of {@code modelBytes} (a single-subgraph model) around the scratch buffers Mote's builtin
     * kernels request (as they do on a {@link ArenaTarget#CORTEX_M} device).
     */
    public static MemoryPlan plan(byte[] modelBytes) {
        return plan(modelBytes, OpResolver.allBuiltins(), ArenaTarget.CORTEX_M);
    }

    /**
     * Plans the arena of {@code modelBytes} around the scratch buffers the kernels of {@code resolver} request in
     * their prepare on {@code target} (custom kernels included): the same requests the interpreter plans and
     * {@link dev.mote.runtime.ArenaReport} counts.
     */
    public static MemoryPlan plan(byte[] modelBytes, OpResolver resolver, ArenaTarget target) {
        Model model = ModelReader.read(modelBytes);
        List<Buffer> buffers = buffers(model, ModelFootprints.record(model, resolver, target));
        Solution solution = solve(buffers);
        int[] tensorOffsets = new int[model.mainSubgraph().tensors().size()];
        Arrays.fill(tensorOffsets, -1);
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).tensor >= 0) {
                tensorOffsets[buffers.get(i).tensor] = solution.offsets[i];
            }
        }
        return new MemoryPlan(tensorOffsets, solution.greedy, solution.planned, solution.lowerBound);
    }

    /** Offsets for every buffer (scratch buffers: where TFLM will put them) and the three sizes. */
    record Solution(int[] offsets, int greedy, int planned, int lowerBound) {
    }

    /** Plans {@code {size, first, last, isScratch}} rows (for tests of the search itself). */
    static Solution solve(int[][] rows) {
        List<Buffer> buffers = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            buffers.add(new Buffer(rows[i][3] != 0 ? -1 - i : i, rows[i][0], rows[i][1], rows[i][2]));
        }
        return solve(buffers);
    }

    private static Solution solve(List<Buffer> buffers) {
        List<Integer> tensorIds = new ArrayList<>();
        List<Integer> scratchIds = new ArrayList<>();
        for (int i = 0; i < buffers.size(); i++) {
            (buffers.get(i).tensor >= 0 ? tensorIds : scratchIds).add(i);
        }
        GreedyMemoryPlanner greedy = new GreedyMemoryPlanner();
        for (Buffer b : buffers) {
            greedy.addBuffer(b.size, b.first, b.last);
        }
        int greedyBytes = greedy.maximumMemorySize();
        int[] current = new int[buffers.size()];
        for (int i = 0; i < current.length; i++) {
            current[i] = greedy.offset(i);
        }
        int[] best = asTflmRunsIt(buffers, tensorIds, scratchIds, current);
        int bestBytes = peak(buffers, best);
        int lowerBound = lowerBound(buffers);
        for (List<Integer> order : candidateOrders(buffers)) {
            if (bestBytes == lowerBound) {
                break;
            }
            int[] placed = firstFit(buffers, order);
            int[] actual = asTflmRunsIt(buffers, tensorIds, scratchIds, placed);
            int bytes = peak(buffers, actual);
            if (bytes < bestBytes) {
                bestBytes = bytes;
                best = actual;
            }
        }
        return new Solution(best, greedyBytes, bestBytes, lowerBound);
    }

    /** {@code modelBytes} with the plan added as {@value #METADATA_NAME} metadata (replacing any earlier one). */
    public static byte[] embed(byte[] modelBytes, MemoryPlan plan) {
        Model model = ModelReader.read(modelBytes);
        int[] offsets = plan.tensorOffsets();
        if (offsets.length != model.mainSubgraph().tensors().size() || model.subgraphs().size() != 1) {
            throw new ExportException("the plan has " + offsets.length + " offsets, the model "
                    + model.mainSubgraph().tensors().size() + " tensors in " + model.subgraphs().size() + " subgraphs");
        }
        ByteBuffer data = ByteBuffer.allocate(4 * (3 + offsets.length)).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0).putInt(0).putInt(offsets.length);
        for (int o : offsets) {
            data.putInt(o);
        }
        List<DataBuffer> buffers = new ArrayList<>(model.buffers());
        List<MetadataEntry> metadata = new ArrayList<>();
        for (MetadataEntry e : model.metadata()) {
            if (!e.name().equals(METADATA_NAME)) {
                metadata.add(e);
            }
        }
        buffers.add(DataBuffer.of(data.array()));
        metadata.add(new MetadataEntry(METADATA_NAME, buffers.size() - 1));
        return ModelWriter.write(new Model(model.version(), model.operatorCodes(), model.subgraphs(),
                model.description(), buffers, metadata));
    }

    /** Plans {@code modelBytes} and embeds the plan. */
    public static byte[] embed(byte[] modelBytes) {
        return embed(modelBytes, plan(modelBytes));
    }

    /** The offsets stored in a model's {@value #METADATA_NAME} metadata, or {@code null} if it has none. */
    public static int[] readOffsets(byte[] modelBytes) {
        Model model = ModelReader.read(modelBytes);
        return model.metadata(METADATA_NAME).map(b -> {
            ByteBuffer bb = ByteBuffer.wrap(b.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            bb.getInt();
            bb.getInt();
            int[] out = new int[bb.getInt()];
            for (int i = 0; i < out.length; i++) {
                out[i] = bb.getInt();
            }
            return out;
        }).orElse(null);
    }

    /**
     * The buffers TFLM plans for a model: every non-constant, non-variable tensor with data, alive from the operator
     * that writes it (inputs: from the start) to the last operator that reads it (outputs: to the end), 16-byte
     * aligned; and the scratch buffers the operators' kernels request in prepare, alive during their operator.
     */
    private static List<Buffer> buffers(Model model, ModelFootprints footprints) {
        Subgraph sg = model.mainSubgraph();
        int n = sg.tensors().size();
        int[] first = new int[n];
        int[] last = new int[n];
        Arrays.fill(first, -1);
        Arrays.fill(last, -1);
        for (int in : sg.inputs()) {
            first[in] = 0;
        }
        List<Operator> ops = sg.operators();
        for (int i = 0; i < ops.size(); i++) {
            for (int t : ops.get(i).inputs()) {
                if (t >= 0) {
                    last[t] = Math.max(last[t], i);
                }
            }
            for (int t : ops.get(i).outputs()) {
                if (first[t] == -1) {
                    first[t] = i;
                }
                last[t] = Math.max(last[t], i);
            }
        }
        int lastOp = Math.max(0, ops.size() - 1);
        for (int out : sg.outputs()) {
            last[out] = lastOp;
        }
        List<Buffer> buffers = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Tensor tensor = sg.tensor(t);
            if (!model.buffer(tensor.buffer()).isEmpty() || tensor.isVariable() || first[t] < 0 || last[t] < 0
                    || tensor.byteSize() == 0) {
                continue;
            }
            buffers.add(new Buffer(t, align16((int) tensor.byteSize()), first[t], last[t]));
        }
        for (int i = 0; i < ops.size(); i++) {
            for (long bytes : footprints.operator(0, i).scratchRequests()) {
                if (bytes == 0) {
                    continue; // takes no room, moves no other buffer
                }
                if (bytes > Integer.MAX_VALUE - 15) {
                    throw new ExportException("operator " + i + " requests " + bytes + " bytes of scratch, more "
                            + "than a TFLM arena can hold");
                }
                buffers.add(new Buffer(-1, align16((int) bytes), i, i));
            }
        }
        return buffers;
    }

    private static int lowerBound(List<Buffer> buffers) {
        int steps = buffers.stream().mapToInt(Buffer::last).max().orElse(-1) + 1;
        int bound = 0;
        for (int t = 0; t < steps; t++) {
            int live = 0;
            for (Buffer b : buffers) {
                if (b.first <= t && t <= b.last) {
                    live += b.size;
                }
            }
            bound = Math.max(bound, live);
        }
        return bound;
    }

    private static List<List<Integer>> candidateOrders(List<Buffer> buffers) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < buffers.size(); i++) {
            ids.add(i);
        }
        List<List<Integer>> orders = new ArrayList<>();
        if (buffers.size() <= EXHAUSTIVE_LIMIT) {
            permutations(ids, 0, orders);
            return orders;
        }
        List<Comparator<Buffer>> heuristics = List.of(
                Comparator.comparingInt(Buffer::size).reversed(),
                Comparator.comparingInt(Buffer::first),
                Comparator.comparingInt((Buffer b) -> b.last - b.first).reversed(),
                Comparator.comparingLong((Buffer b) -> (long) b.size * (b.last - b.first + 1)).reversed(),
                Comparator.comparingInt(Buffer::last).reversed());
        for (Comparator<Buffer> c : heuristics) {
            List<Integer> order = new ArrayList<>(ids);
            order.sort((x, y) -> c.compare(buffers.get(x), buffers.get(y)));
            orders.add(order);
        }
        Random random = new Random(buffers.size());
        int n = buffers.size();
        int randomOrders = (int) Math.max(50, Math.min(RANDOM_ORDERS, 4_000_000L / ((long) n * n)));
        for (int i = 0; i < randomOrders; i++) {
            List<Integer> order = new ArrayList<>(ids);
            java.util.Collections.shuffle(order, random);
            orders.add(order);
        }
        return orders;
    }

    private static void permutations(List<Integer> items, int k, List<List<Integer>> out) {
        if (k == items.size()) {
            out.add(new ArrayList<>(items));
            return;
        }
        for (int i = k; i < items.size(); i++) {
            java.util.Collections.swap(items, k, i);
            permutations(items, k + 1, out);
            java.util.Collections.swap(items, k, i);
        }
    }

    /** Places buffers in {@code order}, each at the lowest offset free of every placed buffer alive with it. */
    private static int[] firstFit(List<Buffer> buffers, List<Integer> order) {
        int[] offsets = new int[buffers.size()];
        List<Integer> placed = new ArrayList<>();
        for (int id : order) {
            Buffer b = buffers.get(id);
            List<int[]> busy = new ArrayList<>();
            for (int other : placed) {
                if (buffers.get(other).overlaps(b)) {
                    busy.add(new int[] {offsets[other], offsets[other] + buffers.get(other).size});
                }
            }
            busy.sort(Comparator.comparingInt(r -> r[0]));
            int offset = 0;
            for (int[] r : busy) {
                if (r[0] - offset >= b.size) {
                    break;
                }
                offset = Math.max(offset, r[1]);
            }
            offsets[id] = offset;
            placed.add(id);
        }
        return offsets;
    }

    /**
     * What TFLM does with a plan: tensors at their planned offsets (in tensor order), then scratch buffers placed by
     * its greedy planner around them. Returns every buffer's actual offset.
     */
    private static int[] asTflmRunsIt(List<Buffer> buffers, List<Integer> tensorIds, List<Integer> scratchIds,
                                      int[] planned) {
        GreedyMemoryPlanner tflm = new GreedyMemoryPlanner();
        for (int id : tensorIds) {
            Buffer b = buffers.get(id);
            tflm.addBuffer(b.size, b.first, b.last, planned[id]);
        }
        for (int id : scratchIds) {
            Buffer b = buffers.get(id);
            tflm.addBuffer(b.size, b.first, b.last);
        }
        int[] actual = new int[buffers.size()];
        int k = 0;
        for (int id : tensorIds) {
            actual[id] = tflm.offset(k++);
        }
        for (int id : scratchIds) {
            actual[id] = tflm.offset(k++);
        }
        return actual;
    }

    private static int peak(List<Buffer> buffers, int[] offsets) {
        int max = 0;
        for (int i = 0; i < offsets.length; i++) {
            max = Math.max(max, offsets[i] + buffers.get(i).size);
        }
        return max;
    }

    private static int align16(int bytes) {
        return (bytes + 15) & ~15;
    }
}
