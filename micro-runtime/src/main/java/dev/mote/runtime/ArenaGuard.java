package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

import dev.mote.runtime.format.Subgraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Arena guard mode: catches a kernel that writes anywhere but into its own output tensors and scratch buffers.
 *
 * <p>At the end of {@code allocateTensors()} every planned buffer (activation tensors, variable tensors and scratch
 * buffers) is moved into a layout of its own, one buffer after the other with {@value #GUARD_BYTES} canary bytes
 * before and after each (the alignment padding after a tensor counts as canary too). Nothing is shared between
 * buffers, so every byte belongs to exactly one buffer and a stray write can be named. Before each operator the
 * layout is copied; after it, every byte outside the operator's outputs, its scratch buffers and the variable
 * tensors it updates must be unchanged (which covers the canaries and the operator's inputs), and so must the model
 * bytes (constant tensors). The first difference becomes an {@link ArenaGuardException}.
 *
 * <p>The reported arena figures ({@link MicroInterpreter#arenaUsedBytes()}, {@link ArenaReport}) stay those of the
 * normal plan; the guarded layout lives in its own array and costs the sum of all buffers in heap, plus one copy.
 */
final class ArenaGuard {
    /** Canary bytes before and after every buffer (and the alignment padding after it). */
    static final int GUARD_BYTES = 16;
    /** Largest guarded layout accepted (guard mode is a debugging aid, not for huge models). */
    static final long MAX_LAYOUT_BYTES = 256L << 20;

    /** One buffer of the guarded layout. */
    private record Region(int guardStart, int dataStart, int size, int end, int tensor, int scratchOperator,
                          int scratchHandle) {
    }

    private final byte[] arena;
    private final byte[] shadow;
    private final byte[] model;
    private final byte[] pristineModel;
    private final MicroTensor[] tensors;
    private final NodeContext[] nodes;
    private final List<Region> regions;
    private final int[][] writable;

    private ArenaGuard(byte[] arena, byte[] model, MicroTensor[] tensors, NodeContext[] nodes, List<Region> regions,
                       int[][] writable) {
        this.arena = arena;
        this.shadow = new byte[arena.length];
        this.model = model;
        this.pristineModel = model.clone();
        this.tensors = tensors;
        this.nodes = nodes;
        this.regions = regions;
        this.writable = writable;
    }

    /**
     * Moves the planned tensors ({@code plannedTensors}), the variable tensors and every node's scratch buffers into
     * a guarded layout and binds them there. Call after the normal binding.
     */
    static ArenaGuard install(byte[] model, Subgraph sg, MicroTensor[] ts, NodeContext[] ns,
                              List<Integer> plannedTensors) {
        List<int[]> wanted = new ArrayList<>(); // {size, tensor, scratchOperator, scratchHandle}
        for (int t : plannedTensors) {
            wanted.add(new int[] {ts[t].byteSize(), t, -1, -1});
        }
        for (MicroTensor t : ts) {
            if (!t.isConstant() && sg.tensor(t.index()).isVariable()) {
                wanted.add(new int[] {t.byteSize(), t.index(), -1, -1});
            }
        }
        for (int i = 0; i < ns.length; i++) {
            List<Integer> sizes = ns[i].scratchSizes();
            for (int s = 0; s < sizes.size(); s++) {
                wanted.add(new int[] {sizes.get(s), -1, i, s});
            }
        }
        long total = 0;
        for (int[] w : wanted) {
            total += GUARD_BYTES + align16(w[0]) + GUARD_BYTES;
        }
        if (total > MAX_LAYOUT_BYTES) {
            throw new MoteException("arena guard mode: the guarded layout would need " + total
                    + " bytes of heap (every buffer unshared), more than the limit " + MAX_LAYOUT_BYTES);
        }
        byte[] arena = new byte[(int) total];
        List<Region> regions = new ArrayList<>();
        int at = 0;
        for (int[] w : wanted) {
            int dataStart = at + GUARD_BYTES;
            int end = dataStart + align16(w[0]) + GUARD_BYTES;
            Region r = new Region(at, dataStart, w[0], end, w[1], w[2], w[3]);
            regions.add(r);
            for (int p = at; p < dataStart; p++) {
                arena[p] = canary(p);
            }
            for (int p = dataStart + w[0]; p < end; p++) {
                arena[p] = canary(p);
            }
            at = end;
        }
        int[][] scratchOffsets = new int[ns.length][];
        for (int i = 0; i < ns.length; i++) {
            scratchOffsets[i] = new int[ns[i].scratchSizes().size()];
        }
        for (Region r : regions) {
            if (r.tensor >= 0) {
                ts[r.tensor].bind(arena, r.dataStart);
            } else {
                scratchOffsets[r.scratchOperator][r.scratchHandle] = r.dataStart;
            }
        }
        for (int i = 0; i < ns.length; i++) {
            ns[i].bindScratch(arena, scratchOffsets[i]);
        }
        int[][] writable = new int[ns.length][];
        for (int i = 0; i < ns.length; i++) {
            writable[i] = writableRanges(i, ns[i], sg, regions);
        }
        return new ArenaGuard(arena, model, ts, ns, regions, writable);
    }

    /** Sorted, merged [start, end) pairs operator {@code i} may write: outputs, variable inputs, its scratch. */
    private static int[] writableRanges(int i, NodeContext node, Subgraph sg, List<Region> regions) {
        List<int[]> ranges = new ArrayList<>();
        for (Region r : regions) {
            boolean mine = r.tensor < 0 ? r.scratchOperator == i : isOutput(node, r.tensor)
                    || (sg.tensor(r.tensor).isVariable() && isInput(node, r.tensor));
            if (mine && r.size > 0) {
                ranges.add(new int[] {r.dataStart, r.dataStart + r.size});
            }
        }
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] flat = new int[2 * ranges.size()];
        for (int k = 0; k < ranges.size(); k++) {
            flat[2 * k] = ranges.get(k)[0];
            flat[2 * k + 1] = ranges.get(k)[1];
        }
        return flat;
    }

    private static boolean isOutput(NodeContext node, int tensor) {
        return indexIn(node.outputTensors(), tensor) >= 0;
    }

    private static boolean isInput(NodeContext node, int tensor) {
        return indexIn(node.inputTensors(), tensor) >= 0;
    }

    private static int indexIn(MicroTensor[] list, int tensor) {
        for (int k = 0; k < list.length; k++) {
            if (list[k] != null && list[k].index() == tensor) {
                return k;
            }
        }
        return -1;
    }

    private static byte canary(int position) {
        return (byte) (0xA5 ^ (position * 0x3B));
    }

    private static int align16(int bytes) {
        return (bytes + 15) & ~15;
    }

    /** Call right before operator {@code i} runs. */
    void beforeOperator(int i) {
        System.arraycopy(arena, 0, shadow, 0, arena.length);
    }

    /** Call right after operator {@code i} ran; throws if it wrote where it must not. */
    void afterOperator(int i) {
        int[] allowed = writable[i];
        int from = 0;
        for (int k = 0; k <= allowed.length; k += 2) {
            int to = k < allowed.length ? allowed[k] : arena.length;
            int hit = mismatch(from, to);
            if (hit >= 0) {
                throw violation(i, hit);
            }
            if (k < allowed.length) {
                from = allowed[k + 1];
            }
        }
        int hit = Arrays.mismatch(model, pristineModel);
        if (hit >= 0) {
            throw modelViolation(i, hit);
        }
    }

    private int mismatch(int from, int to) {
        if (from >= to) {
            return -1;
        }
        int m = Arrays.mismatch(arena, from, to, shadow, from, to);
        return m < 0 ? -1 : from + m;
    }

    private ArenaGuardException violation(int i, int position) {
        NodeContext node = nodes[i];
        Region r = regionAt(position);
        String what;
        int tensor = r.tensor;
        if (position < r.dataStart) {
            what = (r.dataStart - position) + " bytes before the start of " + describe(node, r);
        } else if (position < r.dataStart + r.size) {
            what = "byte " + (position - r.dataStart) + " of " + describe(node, r);
        } else {
            what = (position - (r.dataStart + r.size) + 1) + " bytes past the end of " + describe(node, r);
        }
        return new ArenaGuardException(i, node.op(), tensor, "arena guard: operator " + i + " (" + node.op()
                + ") wrote outside its output tensors and scratch buffers: " + what + " changed from "
                + hex(shadow[position]) + " to " + hex(arena[position]));
    }

    private String describe(NodeContext node, Region r) {
        if (r.tensor < 0) {
            return "scratch buffer " + r.scratchHandle + " of operator " + r.scratchOperator;
        }
        MicroTensor t = tensors[r.tensor];
        String name = "tensor " + r.tensor + " '" + t.name() + "'";
        int out = indexIn(node.outputTensors(), r.tensor);
        if (out >= 0) {
            return name + " (its output " + out + ")";
        }
        int in = indexIn(node.inputTensors(), r.tensor);
        if (in >= 0) {
            return name + " (its input " + in + ", which must not change)";
        }
        return name + " (neither an input nor an output of this operator)";
    }

    private Region regionAt(int position) {
        int lo = 0;
        int hi = regions.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (regions.get(mid).guardStart <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return regions.get(lo);
    }

    private ArenaGuardException modelViolation(int i, int position) {
        NodeContext node = nodes[i];
        int tensor = -1;
        String what = "byte " + position + " of the model";
        for (MicroTensor t : tensors) {
            if (t.isConstant() && t.bytes() == model && position >= t.dataOffset()
                    && position < t.dataOffset() + t.byteSize()) {
                tensor = t.index();
                what = "byte " + (position - t.dataOffset()) + " of constant " + describe(node,
                        new Region(0, 0, 0, 0, t.index(), -1, -1));
                break;
            }
        }
        byte before = pristineModel[position];
        byte after = model[position];
        // Put the model back so that the interpreter's constants stay intact for a diagnosis.
        System.arraycopy(pristineModel, 0, model, 0, model.length);
        return new ArenaGuardException(i, node.op(), tensor, "arena guard: operator " + i + " (" + node.op()
                + ") wrote into the model's constant data: " + what + " changed from " + hex(before) + " to " + hex(after));
    }

    private static String hex(byte b) {
        return String.format("0x%02x", b & 0xFF);
    }
}
