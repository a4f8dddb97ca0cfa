package dev.mote.dsl;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.vocabulary.MoteException;
import dev.mote.vocabulary.BuiltinOperator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;

/**
 * What a model costs before it is trained, like Keras' {@code model.summary()} plus what a microcontroller needs:
 * per layer the TFLite operator it becomes, its output tensor, its parameters, the flash its int8 weights and int32
 * biases take, and the bytes of its int8 activation tensor; in total the parameters, the {@code .tflite} size and
 * TFLM's arena on {@link ArenaTarget#HOST_64} and {@link ArenaTarget#CORTEX_M}.
 *
 * <p>The arena (and the exact file size) come from an {@link ArenaEstimator}, which plans a real export: the one
 * passed in, or else the one registered under {@code META-INF/services/dev.mote.dsl.ArenaEstimator}; without one
 * the summary says "n/a" for them.
 *
 * <pre>{@code
 * System.out.println(spec.summary(ArenaEstimator.fromExport(exporter::placeholderTflite)));
 * }</pre>
 */
public final class ModelSummary {

    /**
     * One line of the table.
     *
     * @param tfliteOp        the operator the layer becomes, or what happens to it ("fused into 'conv2d'", ...)
     * @param params          parameters as Keras counts them
     * @param flashBytes      int8 weights + int32 biases of the exported layer
     * @param activationBytes bytes of the int8 tensor this layer writes, -1 if it writes none of its own
     */
    public record Row(int index, String name, String type, List<String> inputs, Shape outputShape, String tfliteOp,
                      long params, long flashBytes, long activationBytes) {
        public Row {
            inputs = List.copyOf(inputs);
        }
    }

    private static final ArenaTarget[] TARGETS = {ArenaTarget.HOST_64, ArenaTarget.CORTEX_M};

    private final ModelSpec spec;
    private final Lowering lowering;
    private final List<Row> rows;
    private final OptionalLong modelBytes;
    private final Map<ArenaTarget, ArenaReport> arena;
    private final String unavailable;

    private ModelSummary(ModelSpec spec, ArenaEstimator estimator) {
        this.spec = spec;
        this.lowering = Lowering.of(spec);
        this.rows = Collections.unmodifiableList(buildRows());
        Map<ArenaTarget, ArenaReport> reports = new EnumMap<>(ArenaTarget.class);
        OptionalLong bytes = OptionalLong.empty();
        String reason = estimator == null ? "no ArenaEstimator given or registered" : null;
        if (estimator != null) {
            try {
                for (ArenaTarget target : TARGETS) {
                    reports.put(target, estimator.arena(spec, target));
                }
                bytes = estimator.modelBytes(spec);
            } catch (MoteException e) {
                reports.clear();
                reason = e.getMessage();
            }
        }
        this.arena = Collections.unmodifiableMap(reports);
        this.modelBytes = bytes;
        this.unavailable = reason;
    }

    /**
     * The summary with arena figures from the {@link ArenaEstimator} registered as a {@link ServiceLoader} service
     * (the exporter module registers one), or without them ("n/a") when none is on the class path.
     */
    public static ModelSummary of(ModelSpec spec) {
        return new ModelSummary(spec, ServiceLoader.load(ArenaEstimator.class).findFirst().orElse(null));
    }

    /** The summary with arena (and file size) figures from {@code estimator}. */
    public static ModelSummary of(ModelSpec spec, ArenaEstimator estimator) {
        return new ModelSummary(spec, estimator);
    }

    private List<Row> buildRows() {
        List<Row> out = new ArrayList<>();
        for (LayerNode node : spec.nodes()) {
            int i = node.index();
            LayerSpec layer = node.layer();
            Shape in = layer instanceof LayerSpec.Input ? node.outputShape() : spec.node(node.inputs()[0]).outputShape();
            List<String> inputs = new ArrayList<>();
            for (int p : node.inputs()) {
                inputs.add(spec.node(p).name());
            }
            Lowering.Role role = lowering.role(i);
            long activation = role == Lowering.Role.OP || role == Lowering.Role.INPUT
                    ? SpecChecker.elements(node.outputShape()) : -1;
            out.add(new Row(i, node.name(), LayerNames.type(layer), inputs, node.outputShape(), opText(i),
                    Params.kerasParams(layer, in), Params.flashBytes(layer, in, foldsBatchNorm(i)), activation));
        }
        return out;
    }

    private boolean foldsBatchNorm(int node) {
        for (int j = node + 1; j < spec.nodes().size(); j++) {
            if (lowering.role(j) == Lowering.Role.FOLDED && lowering.into(j) == node) {
                return true;
            }
        }
        return false;
    }

    private String opText(int i) {
        return switch (lowering.role(i)) {
            case INPUT -> "(input tensor)";
            case OP -> lowering.op(i).name();
            case FUSED -> "fused into '" + spec.node(lowering.into(i)).name() + "'";
            case FOLDED -> "folded into '" + spec.node(lowering.into(i)).name() + "'";
            case ABSORBED -> "absorbed by '" + spec.node(lowering.into(i)).name() + "' (FULLY_CONNECTED flattens)";
            case REMOVED -> "removed (training only)";
        };
    }

    /** The summarized spec. */
    public ModelSpec spec() {
        return spec;
    }

    /** One row per node, in node order. */
    public List<Row> rows() {
        return rows;
    }

    /** The TFLite operators of the export, in execution order. */
    public List<BuiltinOperator> ops() {
        return lowering.ops();
    }

    /** Parameters as Keras counts them. */
    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    /** Flash taken by int8 weights and int32 biases (batch norms folded). */
    public long flashBytes() {
        return rows.stream().mapToLong(Row::flashBytes).sum();
    }

    /** The size of the exported {@code .tflite}, if the estimator exported the model. */
    public OptionalLong modelBytes() {
        return modelBytes;
    }

    /** TFLM's arena on {@code target}, if an estimator was given and succeeded. */
    public Optional<ArenaReport> arena(ArenaTarget target) {
        return Optional.ofNullable(arena.get(target));
    }

    /** The table, as printed by {@link #toString()}. */
    public String table() {
        boolean chain = spec.isChain();
        List<String[]> cells = new ArrayList<>();
        cells.add(chain
                ? new String[] {"#", "Layer (type)", "Output shape", "Params", "TFLite op", "Flash B", "Act. B"}
                : new String[] {"#", "Layer (type)", "Inputs", "Output shape", "Params", "TFLite op", "Flash B",
                        "Act. B"});
        for (Row r : rows) {
            List<String> c = new ArrayList<>();
            c.add(Integer.toString(r.index()));
            c.add(r.name() + " (" + r.type() + ")");
            if (!chain) {
                c.add(r.inputs().isEmpty() ? "-" : String.join(", ", r.inputs()));
            }
            c.add(java.util.Arrays.toString(r.outputShape().withBatch()));
            c.add(number(r.params()));
            c.add(r.tfliteOp());
            c.add(number(r.flashBytes()));
            c.add(r.activationBytes() < 0 ? "-" : number(r.activationBytes()));
            cells.add(c.toArray(new String[0]));
        }
        int columns = cells.get(0).length;
        boolean[] right = new boolean[columns];
        right[0] = true;
        right[columns - 4] = true;
        right[columns - 2] = true;
        right[columns - 1] = true;
        int[] width = new int[columns];
        for (String[] row : cells) {
            for (int k = 0; k < columns; k++) {
                width[k] = Math.max(width[k], row[k].length());
            }
        }
        int total = 0;
        for (int w : width) {
            total += w + 2;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Model \"").append(spec.name()).append("\": ").append(rows.size()).append(" layers -> ")
                .append(ops().size()).append(" TFLite ops, int8\n");
        String rule = "-".repeat(total - 2) + "\n";
        for (int r = 0; r < cells.size(); r++) {
            if (r <= 1) {
                sb.append(r == 0 ? rule.replace('-', '=') : rule);
            }
            String[] row = cells.get(r);
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < columns; k++) {
                String pad = " ".repeat(width[k] - row[k].length());
                line.append(right[k] ? pad + row[k] : row[k] + pad).append(k + 1 < columns ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append(rule.replace('-', '='));
        sb.append(totals());
        return sb.toString();
    }

    private String totals() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("Total params", number(totalParams()));
        lines.put("TFLite ops", opCounts());
        lines.put("Weights + biases (flash)", number(flashBytes()) + " B");
        Row largest = null;
        for (Row r : rows) {
            if (largest == null || r.activationBytes() > largest.activationBytes()) {
                largest = r;
            }
        }
        lines.put("Largest activation", number(largest.activationBytes()) + " B ('" + largest.name() + "')");
        lines.put("Model (.tflite)", modelBytes.isPresent() ? number(modelBytes.getAsLong()) + " B"
                : "n/a (" + reason() + "; weights and biases alone take " + number(flashBytes()) + " B)");
        for (ArenaTarget target : TARGETS) {
            ArenaReport r = arena.get(target);
            lines.put("Arena " + target, r == null ? "n/a (" + reason() + ")"
                    : number(r.usedBytes()) + " B used (tensors " + number(r.headBytes()) + " + TFLM bookkeeping "
                    + number(r.tailBytes()) + "); smallest arena " + number(r.minimumArenaBytes()) + " B");
        }
        int keyWidth = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        lines.forEach((k, v) -> sb.append(k).append(':').append(" ".repeat(keyWidth - k.length() + 1)).append(v)
                .append('\n'));
        return sb.toString();
    }

    private String reason() {
        return unavailable == null ? "the estimator does not export" : unavailable;
    }

    private String opCounts() {
        Map<BuiltinOperator, Integer> counts = new LinkedHashMap<>();
        for (BuiltinOperator op : ops()) {
            counts.merge(op, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((op, n) -> parts.add(op + (n > 1 ? " x" + n : "")));
        return ops().size() + " (" + String.join(", ", parts) + ")";
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    @Override
    public String toString() {
        return table();
    }
}
