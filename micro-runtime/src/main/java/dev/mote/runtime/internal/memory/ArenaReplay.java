package dev.mote.runtime.internal.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * A recorded sequence of TFLM arena operations (what {@code MicroInterpreter} construction and
 * {@code AllocateTensors()} do to the {@code SingleArenaBufferAllocator}), replayed against an arena of any size
 * with the allocator's exact pointer arithmetic: persistent buffers come from the tail, aligned down; the
 * resizable head buffer and temporaries from the head, aligned up; a persistent buffer fails only if it would cross
 * the head (not the temporaries; but see {@link Persistent#clearOfTemps} for a kernel's buffers), a temporary or
 * head buffer if it would cross the tail. The arena starts at a 16-byte aligned address.
 *
 * <pre>{@code
 * ArenaReplay replay = new ArenaReplay();
 * replay.persistent("runtime", "MicroAllocator", 36, 4);
 * ArenaReplay.Outcome o = replay.run(2048);
 * }</pre>
 */
public final class ArenaReplay {

    /** One recorded operation. */
    public sealed interface Step permits Persistent, Head, Temp, ResetTemps, PlannerScratch, ReleaseHead, Overlay {
        /** What the step is, for messages ("planning scratch for 5 buffers"). */
        String what();
    }

    /**
     * {@code AllocatePersistentBuffer(size, align)}. With {@code clearOfTemps}, a buffer a kernel fills in its
     * {@code Prepare} while it still reads its temporaries (per-channel multipliers and shifts, lookup tables):
     * the allocator places it even over the live temporaries (it checks only the head), but then the kernel's writes
     * overwrite the temporary {@code TfLiteTensor}s it goes on reading and its prepare fails, so in a replay the
     * step fails unless the buffer lies above the temporaries.
     */
    public record Persistent(String category, String what, long size, int align, boolean clearOfTemps)
            implements Step {
        public Persistent(String category, String what, long size, int align) {
            this(category, what, size, align, false);
        }
    }

    /** {@code AllocateResizableBuffer}/{@code ResizeBuffer} of the head; a failed resize may be ignored as TFLM does. */
    public record Head(String what, long size, int align, boolean ignoreFailure) implements Step {
    }

    /**
     * {@code AllocateTemp(size, align)}; {@code readLater} is how many of its first bytes the kernel still reads
     * after filling its prepare's persistent buffers (a temporary {@code TfLiteTensor}; the scale and zero-point
     * pointers of its quantization struct, which {@code DeallocateTempTfLiteTensor} reads; none of its zero-point
     * array), which such a buffer must not overlap ({@link Persistent#clearOfTemps}).
     */
    public record Temp(String what, long size, int align, long readLater) implements Step {
        public Temp(String what, long size, int align) {
            this(what, size, align, size);
        }
    }

    /** {@code ResetTempAllocations()}. */
    public record ResetTemps(String what) implements Step {
    }

    /**
     * {@code GetAvailableMemory(16)} handed to the memory planner as its scratch, which must hold
     * {@code bytesPerBuffer} per planned buffer.
     */
    public record PlannerScratch(String what, int buffers, int bytesPerBuffer) implements Step {
    }

    /** {@code DeallocateResizableBuffer}: the head shrinks to nothing. */
    public record ReleaseHead(String what) implements Step {
    }

    /** {@code ReserveNonPersistentOverlayMemory(size, 16)}: the planned head. */
    public record Overlay(String what, long size) implements Step {
    }

    /** A persistent allocation as it landed: its bytes including the alignment padding it caused. */
    public record TailUse(String category, String what, long bytes) {
    }

    /**
     * The result of a replay.
     *
     * @param ok          whether every step succeeded
     * @param failedStep  the first failing step, or {@code null}
     * @param headBytes   {@code GetNonPersistentUsedBytes()} at the end
     * @param tailBytes   {@code GetPersistentUsedBytes()} at the end
     * @param peakHeadDemand the most head-side bytes any step needed (temporaries, head buffer, planner scratch)
     * @param tail        persistent allocations in order
     */
    public record Outcome(boolean ok, Step failedStep, long headBytes, long tailBytes, long peakHeadDemand,
                          List<TailUse> tail) {
    }

    private final List<Step> steps = new ArrayList<>();

    public ArenaReplay persistent(String category, String what, long size, int align) {
        steps.add(new Persistent(category, what, size, align));
        return this;
    }

    /** A persistent buffer a kernel fills while its temporaries are live ({@link Persistent#clearOfTemps}). */
    public ArenaReplay persistentClearOfTemps(String category, String what, long size, int align) {
        steps.add(new Persistent(category, what, size, align, true));
        return this;
    }

    public ArenaReplay head(String what, long size, int align, boolean ignoreFailure) {
        steps.add(new Head(what, size, align, ignoreFailure));
        return this;
    }

    public ArenaReplay temp(String what, long size, int align) {
        steps.add(new Temp(what, size, align));
        return this;
    }

    /** A temporary of which a kernel reads only the first {@code readLater} bytes ({@link Temp#readLater}). */
    public ArenaReplay temp(String what, long size, int align, long readLater) {
        steps.add(new Temp(what, size, align, readLater));
        return this;
    }

    public ArenaReplay resetTemps(String what) {
        steps.add(new ResetTemps(what));
        return this;
    }

    public ArenaReplay plannerScratch(String what, int buffers, int bytesPerBuffer) {
        steps.add(new PlannerScratch(what, buffers, bytesPerBuffer));
        return this;
    }

    public ArenaReplay releaseHead(String what) {
        steps.add(new ReleaseHead(what));
        return this;
    }

    public ArenaReplay overlay(String what, long size) {
        steps.add(new Overlay(what, size));
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    private static long alignUp(long v, int a) {
        return Math.floorDiv(v + a - 1, a) * a;
    }

    private static long alignDown(long v, int a) {
        return Math.floorDiv(v, a) * a;
    }

    /** Replays every step in an arena of {@code arenaBytes} bytes starting at a 16-byte aligned address. */
    public Outcome run(long arenaBytes) {
        return run(arenaBytes, true);
    }

    private Outcome run(long arenaBytes, boolean recordTail) {
        final long bufferHead = 0;
        final long bufferTail = arenaBytes;
        long head = bufferHead;
        long tail = bufferTail;
        long temp = bufferHead;
        long readTop = bufferHead; // end of the last live temporary read later
        long peak = 0;
        List<TailUse> uses = recordTail ? new ArrayList<>() : null;
        for (Step step : steps) {
            boolean ok = true;
            if (step instanceof Persistent p) {
                long r = alignDown(tail - p.size(), p.align());
                if (r < (p.clearOfTemps() ? Math.max(head, readTop) : head)) {
                    ok = false;
                } else {
                    if (uses != null) {
                        uses.add(new TailUse(p.category(), p.what(), tail - r));
                    }
                    tail = r;
                }
            } else if (step instanceof Head h) {
                long base = alignUp(bufferHead, h.align());
                peak = Math.max(peak, base + h.size() - bufferHead);
                if (tail - base < h.size()) {
                    ok = h.ignoreFailure();
                } else {
                    head = base + h.size();
                    temp = head;
                    readTop = head;
                }
            } else if (step instanceof Temp t) {
                long r = alignUp(temp, t.align());
                peak = Math.max(peak, r + t.size() - bufferHead);
                if (tail - r < t.size()) {
                    ok = false;
                } else {
                    temp = r + t.size();
                    if (t.readLater() > 0) {
                        readTop = r + t.readLater();
                    }
                }
            } else if (step instanceof ResetTemps) {
                temp = head;
                readTop = head;
            } else if (step instanceof PlannerScratch s) {
                long alignedTemp = alignUp(temp, TflmStructs.ARENA_ALIGNMENT);
                long remaining = alignDown(tail, TflmStructs.ARENA_ALIGNMENT) - alignedTemp;
                long needed = (long) s.buffers() * s.bytesPerBuffer();
                peak = Math.max(peak, alignedTemp + needed - bufferHead);
                if (remaining < 0 || Math.min(remaining, Integer.MAX_VALUE) / s.bytesPerBuffer() < s.buffers()) {
                    ok = false;
                } else {
                    temp = alignedTemp + remaining;
                }
            } else if (step instanceof ReleaseHead) {
                head = bufferHead;
                temp = head;
                readTop = head;
            } else if (step instanceof Overlay o) {
                long base = alignUp(bufferHead, TflmStructs.ARENA_ALIGNMENT);
                peak = Math.max(peak, base + o.size() - bufferHead);
                if (tail - base < o.size()) {
                    ok = false;
                } else {
                    head = base + o.size();
                    temp = head;
                    readTop = head;
                }
            }
            if (!ok) {
                return new Outcome(false, step, Math.max(head, temp) - bufferHead, bufferTail - tail, peak,
                        uses == null ? List.of() : List.copyOf(uses));
            }
        }
        return new Outcome(true, null, Math.max(head, temp) - bufferHead, bufferTail - tail, peak,
                uses == null ? List.of() : List.copyOf(uses));
    }

    /** Whether the whole sequence succeeds in an arena of {@code arenaBytes}. */
    public boolean fits(long arenaBytes) {
        return arenaBytes >= 0 && run(arenaBytes, false).ok();
    }

    /**
     * The smallest arena size with which every step succeeds. For a fixed arena size modulo 16 success is monotonic
     * in the size (all alignments divide 16), so each residue is binary searched and the smallest result wins.
     */
    public long smallestArena() {
        long best = Long.MAX_VALUE;
        for (int residue = 0; residue < TflmStructs.ARENA_ALIGNMENT; residue++) {
            long lo = 0; // in units of 16: size = 16 * k + residue
            long hi = 1;
            while (!fits(16 * hi + residue)) {
                hi *= 2;
                if (hi > (1L << 40)) {
                    throw new IllegalStateException("no arena size fits; the replay cannot succeed");
                }
            }
            if (fits(residue)) {
                hi = 0;
            }
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (fits(16 * mid + residue)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            best = Math.min(best, 16 * hi + residue);
        }
        return best;
    }
}
