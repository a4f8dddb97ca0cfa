package dev.mote.runtime.internal.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * What one operator puts into TFLM's arena, as its TFLM registration allocates it: the builtin-options struct its
 * op-data parser allocates ({@code MicroBuiltinDataAllocator}), the {@code OpData} its {@code Init} allocates, and
 * what its {@code Prepare} asks of the allocator, in call order (temporary tensors, persistent buffers, scratch
 * requests). Mote records it from the kernel's own prepare, so the interpreter's plan, the arena report and the
 * exporter's offline planner all see the same requests; for an operator nothing models exactly, {@link
 * EstimatedFootprint} gives a flagged upper bound instead.
 *
 * <pre>{@code
 * OperatorFootprint f = OperatorFootprint.builder().opData(opData).tempTensor(0).scratch(64).build();
 * }</pre>
 */
public final class OperatorFootprint {

    /** One allocator call of a kernel's {@code Prepare}. */
    public sealed interface PrepareStep permits TempTensor, PersistentBuffer, Scratch {
    }

    /**
     * {@code AllocateTempInputTensor}/{@code AllocateTempOutputTensor}: a temporary {@code TfLiteTensor} (and its
     * quantization) for tensor {@code tensor} of the operator's subgraph.
     */
    public record TempTensor(int tensor) implements PrepareStep {
    }

    /** {@code AllocatePersistentBuffer(bytes)} in {@code Prepare} (16-byte aligned, from the tail). */
    public record PersistentBuffer(String what, long bytes) implements PrepareStep {
    }

    /** {@code RequestScratchBufferInArena(bytes)}: a head buffer alive while the operator runs. */
    public record Scratch(long bytes) implements PrepareStep {
    }

    private final CStruct builtinData;
    private final CStruct opData;
    private final List<PrepareStep> prepare;
    private final boolean estimate;
    private final String estimateDetail;

    private OperatorFootprint(CStruct builtinData, CStruct opData, List<PrepareStep> prepare, boolean estimate,
                              String estimateDetail) {
        this.builtinData = builtinData;
        this.opData = opData;
        this.prepare = List.copyOf(prepare);
        this.estimate = estimate;
        this.estimateDetail = estimateDetail;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A footprint that is an estimate, not what a kernel declared; {@code detail} says why, or is {@code null}. */
    static OperatorFootprint estimated(CStruct builtinData, CStruct opData, List<PrepareStep> prepare, String detail) {
        return new OperatorFootprint(builtinData, opData, prepare, true, detail);
    }

    /** The builtin-options struct the parser allocates, or {@code null} if it allocates none. */
    public CStruct builtinData() {
        return builtinData;
    }

    /** The {@code OpData} struct {@code Init} allocates, or {@code null} if the kernel has no {@code Init}. */
    public CStruct opData() {
        return opData;
    }

    /** What {@code Prepare} asks of the allocator, in call order. */
    public List<PrepareStep> prepare() {
        return prepare;
    }

    /** The bytes of each scratch request, in request order. */
    public List<Long> scratchRequests() {
        List<Long> bytes = new ArrayList<>();
        for (PrepareStep step : prepare) {
            if (step instanceof Scratch s) {
                bytes.add(s.bytes());
            }
        }
        return bytes;
    }

    /** True if this is an estimate rather than what a kernel declared. */
    public boolean isEstimate() {
        return estimate;
    }

    /**
     * For an estimate, why no kernel declared it when that is more than "no kernel is registered for the op" (a
     * kernel's refusal); otherwise {@code null}.
     */
    public String estimateDetail() {
        return estimateDetail;
    }

    /** Collects a kernel's declarations in call order. */
    public static final class Builder {
        private CStruct builtinData;
        private CStruct opData;
        private final List<PrepareStep> prepare = new ArrayList<>();

        private Builder() {
        }

        /** The builtin-options struct of the op's parser; at most once. */
        public Builder builtinData(CStruct params) {
            if (builtinData != null) {
                throw new IllegalStateException("the builtin options are allocated once per operator");
            }
            builtinData = params;
            return this;
        }

        /** The {@code OpData} of the kernel's {@code Init}; at most once. */
        public Builder opData(CStruct data) {
            if (opData != null) {
                throw new IllegalStateException("Init allocates the OpData once per operator");
            }
            opData = data;
            return this;
        }

        public Builder tempTensor(int tensor) {
            prepare.add(new TempTensor(tensor));
            return this;
        }

        public Builder persistent(String what, long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative persistent buffer size " + bytes);
            }
            prepare.add(new PersistentBuffer(what, bytes));
            return this;
        }

        public Builder scratch(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative scratch size " + bytes);
            }
            prepare.add(new Scratch(bytes));
            return this;
        }

        public OperatorFootprint build() {
            return new OperatorFootprint(builtinData, opData, prepare, false, null);
        }
    }
}
