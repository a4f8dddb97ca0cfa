package dev.mote.exporter;

import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ModelSummary;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model costs on a device, with real figures: the DSL's {@link ModelSummary} (layers, shapes, parameters,
 * weight flash, activations) followed by the size of the int8 {@code .tflite} and TFLM's arena on each target, as
 * micro-runtime's TFLM-exact planner allocates the exported bytes (kernel scratch buffers included).
 *
 * <pre>{@code
 * System.out.println(ModelReport.of(spec));                          // before training: placeholder weights
 * ModelReport trained = ModelReport.of(spec, TfliteExporter.export(spec, trainedModel));
 * ModelReport fine = ModelReport.of(spec, TfliteExporter.export(spec, trainedModel, ExportOptions.int16x8()));
 * int arena = trained.arena(ArenaTarget.CORTEX_M).usedBytes();
 * }</pre>
 *
 * <p>Before training the weights' values do not matter, only their sizes: {@link #of(ModelSpec)} exports with
 * {@link PlaceholderParameters}, which gives the same file size and arena as the trained model.
 */
public final class ModelReport {
    private static final ArenaTarget[] DEFAULT_TARGETS = {ArenaTarget.HOST_64, ArenaTarget.CORTEX_M};

    private final ModelSummary summary;
    private final ExportedModel exported;
    private final Map<ArenaTarget, ArenaReport> arenas;

    private ModelReport(ModelSummary summary, ExportedModel exported, Map<ArenaTarget, ArenaReport> arenas) {
        this.summary = summary;
        this.exported = exported;
        this.arenas = Collections.unmodifiableMap(arenas);
    }

    /**
     * The report of {@code spec} exported as int8 with placeholder weights, with TFLM's arena on a 64-bit host and
     * on a 32-bit Cortex-M.
     *
     * @throws ExportException if the spec cannot be exported or loaded into micro-runtime (the message names the node)
     */
    public static ModelReport of(ModelSpec spec) {
        return of(spec, DEFAULT_TARGETS);
    }

    /** Like {@link #of(ModelSpec)}, with the arena on {@code targets} only (e.g. just {@code CORTEX_M}). */
    public static ModelReport of(ModelSpec spec, ArenaTarget... targets) {
        Objects.requireNonNull(spec, "spec");
        return of(spec, TfliteExporter.export(spec, PlaceholderParameters.of(spec)), targets);
    }

    /** The report of a model already exported from {@code spec} (e.g. with trained weights), on both targets. */
    public static ModelReport of(ModelSpec spec, ExportedModel exported) {
        return of(spec, exported, DEFAULT_TARGETS);
    }

    /**
     * The report of a model already exported from {@code spec}, with the arena on {@code targets}.
     *
     * @throws ExportException if {@code exported} is not an int8 export of {@code spec}, or micro-runtime cannot
     *                         load it
     */
    public static ModelReport of(ModelSpec spec, ExportedModel exported, ArenaTarget... targets) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(exported, "exported");
        Objects.requireNonNull(targets, "targets");
        if (targets.length == 0) {
            throw new IllegalArgumentException("name at least one ArenaTarget, e.g. ArenaTarget.CORTEX_M");
        }
        if (!exported.name().equals(spec.name())) {
            throw new ExportException("model '" + exported.name() + "' was not exported from spec '" + spec.name()
                    + "'; report a model together with the spec it was exported from");
        }
        if (!exported.options().precision().quantized()) {
            throw new ExportException("model '" + spec.name() + "' was exported as " + exported.options().precision()
                    + ", but the report's per-layer bytes are integer figures; report an ExportOptions.int8() or "
                    + "ExportOptions.int16x8() export");
        }
        Map<ArenaTarget, ArenaReport> arenas = new EnumMap<>(ArenaTarget.class);
        for (ArenaTarget target : targets) {
            arenas.put(Objects.requireNonNull(target, "target"), exported.arenaReport(target));
        }
        // 16x8: 2-byte activations and 8-byte biases per layer; the arena lines read the exported bytes either way
        ModelSummary summary = exported.options().precision() == Precision.INT16X8 ? ModelSummary.int16x8(spec)
                : spec.summary();
        return new ModelReport(summary, exported, arenas);
    }

    /** The DSL's part: per-layer figures and their totals. */
    public ModelSummary summary() {
        return summary;
    }

    /** The export the figures were measured on. */
    public ExportedModel exported() {
        return exported;
    }

    /** The size of the {@code .tflite} file in bytes (flash). */
    public int modelBytes() {
        return exported.size();
    }

    /** The targets the arena was planned for, in {@link ArenaTarget} order. */
    public List<ArenaTarget> targets() {
        return List.copyOf(arenas.keySet());
    }

    /**
     * TFLM's arena for the model on {@code target}.
     *
     * @throws IllegalArgumentException if the report was not made for {@code target}
     */
    public ArenaReport arena(ArenaTarget target) {
        ArenaReport report = arenas.get(target);
        if (report == null) {
            throw new IllegalArgumentException("the report of '" + summary.spec().name() + "' has no arena for "
                    + target + " (it has " + targets() + "); make it with ModelReport.of(spec, ArenaTarget."
                    + target + ")");
        }
        return report;
    }

    /** The summary's table with the file size and the arena lines after its totals, as {@link #toString()} prints. */
    public String table() {
        List<ModelSummary.Total> more = new ArrayList<>();
        more.add(ModelSummary.Total.bytes("Model (.tflite)", modelBytes()));
        arenas.forEach((target, r) -> more.add(new ModelSummary.Total("Arena " + target,
                grouped(r.usedBytes()) + " B used (tensors " + grouped(r.headBytes()) + " + TFLM bookkeeping "
                        + grouped(r.tailBytes()) + "); smallest arena " + grouped(r.minimumArenaBytes()) + " B")));
        return summary.table(more);
    }

    private static String grouped(long n) {
        return ModelSummary.Total.grouped(n);
    }

    @Override
    public String toString() {
        return table();
    }
}
