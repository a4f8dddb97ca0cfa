package dev.mote.runtime;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What TFLM's arena holds for a model on a target ABI, from the model and what its operators' kernels declare in
 * their prepare ({@link ModelFootprints}; without an interpreter, the prepares run against recording contexts, no
 * arena needed): the planned
 * non-persistent tensors and scratch buffers at the head, the persistent bookkeeping at the tail (allocator objects,
 * eval tensors, node-and-registration arrays, parsed options, kernel {@code OpData}, per-channel multipliers and
 * shifts, input/output {@code TfLiteTensor}s, ...), their sum {@code arena_used_bytes()} and the smallest arena
 * with which {@code AllocateTensors()} succeeds (TFLM needs temporary room while allocating, so it can exceed
 * the used bytes; alignment at the tail can also make it a few bytes smaller).
 *
 * <pre>{@code
 * ArenaReport r = ArenaReport.of(Files.readAllBytes(path), ArenaTarget.CORTEX_M);
 * System.out.println(r.usedBytes() + " used, " + r.minimumArenaBytes() + " needed");
 * }</pre>
 *
 * @param target             the ABI
 * @param headBytes          planned non-persistent bytes (tensors and scratch buffers)
 * @param tailBytes          persistent bytes, for an arena whose size is a multiple of 16
 * @param minimumArenaBytes  the smallest arena (16-byte aligned start, any size) with which allocation succeeds
 * @param limitedBy          what fails in an arena one byte smaller than the minimum
 * @param peakAllocationBytes the most head-side bytes {@code AllocateTensors()} needs at once (temporary
 *                           tensors, scratch requests, the planner's working memory)
 * @param peakOperator       the operator at which the planned head is fullest ({@code -1} if nothing is planned)
 * @param peakTensors        the (up to) three largest buffers alive at that operator, largest first
 * @param tail               the persistent allocations in allocation order, each with the padding it caused
 * @param estimatedOps       operators whose footprint Mote does not model exactly (no kernel or footprint
 *                           declaration for the op, or they refused the node, and why) and for which the figures
 *                           include an upper-bound estimate ({@code EstimatedFootprint}); empty when exact
 */
public record ArenaReport(ArenaTarget target, int headBytes, int tailBytes, int minimumArenaBytes, String limitedBy,
                          int peakAllocationBytes, int peakOperator, List<BufferUse> peakTensors,
                          List<TailItem> tail, List<String> estimatedOps) {

    /**
     * A planned buffer alive at the peak.
     *
     * @param name   tensor name, or {@code "scratch of operator N"}
     * @param tensor tensor index, or {@code -1} for a scratch buffer
     * @param bytes  bytes as planned (rounded up to 16)
     * @param offset offset in the head
     */
    public record BufferUse(String name, int tensor, int bytes, int offset) {
    }

    /** One persistent allocation: a category ("eval tensors", "op data", ...), what it is, and its bytes. */
    public record TailItem(String category, String what, int bytes) {
    }

    public ArenaReport {
        peakTensors = List.copyOf(peakTensors);
        tail = List.copyOf(tail);
        estimatedOps = List.copyOf(estimatedOps);
    }

    /**
     * The report for a model's bytes with every builtin kernel ({@link OpResolver#allBuiltins()}).
     *
     * @throws dev.mote.runtime.InvalidModelException if the bytes are not a valid model
     */
    public static ArenaReport of(byte[] model, ArenaTarget target) {
        return of(ModelReader.read(model), target);
    }

    /** The report for a decoded model with every builtin kernel. */
    public static ArenaReport of(Model model, ArenaTarget target) {
        return of(model, OpResolver.allBuiltins(), target);
    }

    /**
     * The report for a model's bytes with the kernels of {@code resolver} (custom kernels' declared scratch,
     * persistent buffers and {@code OpData} included), as an interpreter with that resolver would report it.
     *
     * @throws dev.mote.runtime.InvalidModelException if the bytes are not a valid model
     */
    public static ArenaReport of(byte[] model, OpResolver resolver, ArenaTarget target) {
        return of(ModelReader.read(model), resolver, target);
    }

    /** The report for a decoded model with the kernels of {@code resolver}. */
    public static ArenaReport of(Model model, OpResolver resolver, ArenaTarget target) {
        return TflmArenaAccounting.report(model, target, ModelFootprints.record(model, resolver, target));
    }

    /** What TFLM's {@code arena_used_bytes()} reports after allocation: head plus tail. */
    public int usedBytes() {
        return headBytes + tailBytes;
    }

    /** True if every operator's footprint is modeled exactly. */
    public boolean exact() {
        return estimatedOps.isEmpty();
    }

    /** Tail bytes per category, in first-allocation order. */
    public Map<String, Integer> tailByCategory() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (TailItem item : tail) {
            m.merge(item.category(), item.bytes(), Integer::sum);
        }
        return m;
    }

    /** A human-readable multi-line summary. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("target ").append(target.cliName()).append('\n');
        sb.append(String.format(Locale.ROOT, "  head (planned tensors)   %,10d bytes%n", headBytes));
        sb.append(String.format(Locale.ROOT, "  tail (persistent)        %,10d bytes%n", tailBytes));
        for (Map.Entry<String, Integer> e : tailByCategory().entrySet()) {
            sb.append(String.format(Locale.ROOT, "    %-22s %,10d%n", e.getKey(), e.getValue()));
        }
        sb.append(String.format(Locale.ROOT, "  arena_used_bytes         %,10d bytes%n", usedBytes()));
        sb.append(String.format(Locale.ROOT, "  smallest arena           %,10d bytes (below: %s)%n", minimumArenaBytes,
                limitedBy));
        sb.append(String.format(Locale.ROOT, "  peak during allocation   %,10d head-side bytes%n",
                peakAllocationBytes));
        if (peakOperator >= 0) {
            sb.append("  head peak at operator ").append(peakOperator).append(':').append('\n');
            for (BufferUse b : peakTensors) {
                sb.append(String.format(Locale.ROOT, "    %,8d bytes @%-6d %s%n", b.bytes(), b.offset(), b.name()));
            }
        }
        if (estimatedOps.isEmpty()) {
            sb.append("  exact (every operator's footprint modeled as TFLM allocates it)\n");
        } else {
            sb.append("  NOT EXACT: upper-bound estimate for ").append(String.join(", ", estimatedOps)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return target + ": head " + headBytes + " + tail " + tailBytes + " = " + usedBytes()
                + " bytes used, smallest arena " + minimumArenaBytes + " bytes";
    }
}
