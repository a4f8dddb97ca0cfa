package dev.mote.dsl;

import dev.mote.dsl.plan.PlannedOp;
import dev.mote.dsl.plan.PlannedWeights;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a model costs before it is trained, like Keras' {@code model.summary()} plus what a microcontroller needs:
 * per layer the TFLite operator it becomes, its output tensor, its parameters, the flash its int8 weights and int32
 * biases take, the bytes of its int8 activation tensor and the multiply-accumulates (MACs) of one invocation; in
 * total the parameters, the MACs, the operators, the weight flash and the largest activation. Every figure is
 * computed exactly from the spec; the MACs with {@link Workload}, the rule {@code mote inspect} counts an exported
 * model's operators with, from the shapes of the {@link TensorPlan}'s operators and weights.
 *
 * <p>The {@code .tflite} size and TFLM's arena need an export and TFLM's planner: the exporter's
 * {@code ModelReport.of(spec)} prints this table followed by those figures.
 *
 * <pre>{@code
 * ModelSummary summary = spec.summary();
 * System.out.println(summary);                 // the table
 * long flash = summary.flashBytes();           // 420 for Hello World
 * long macs = summary.totalMacs();             // 288 for Hello World: 1x16 + 16x16 + 16x1
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
     * @param macs            multiply-accumulates of one invocation of the operators the layer becomes (with the
     *                        QUANTIZEs inserted before a concatenation), counted by {@link Workload}; -1 if the
     *                        layer becomes no operator of its own (fused, folded, absorbed, removed, the input) or
     *                        if {@link Workload} does not count its operator (an LSTM; the totals then say so)
     */
    public record Row(int index, String name, String type, List<String> inputs, Shape outputShape, String tfliteOp,
                      long params, long flashBytes, long activationBytes, long macs) {
        public Row {
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * One line of the totals under the table, e.g. {@code Total params: 321}. Modules that know more about a
     * model (the exporter's {@code ModelReport}) append their own with {@link #table(List)}, aligned with these.
     *
     * <pre>{@code
     * String text = summary.table(List.of(ModelSummary.Total.bytes("Model (.tflite)", 1728)));
     * }</pre>
     *
     * @param label what the figure is, without the colon
     * @param value the figure as printed
     */
    public record Total(String label, String value) {
        public Total {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(value, "value");
        }

        /** A byte count, printed like {@code 1,728 B}. */
        public static Total bytes(String label, long bytes) {
            return new Total(label, grouped(bytes) + " B");
        }

        /** {@code n} with thousands separators in {@link Locale#ROOT} ({@code 1,728}): how the table prints numbers. */
        public static String grouped(long n) {
            return String.format(Locale.ROOT, "%,d", n);
        }
    }

    private final ModelSpec spec;
    private final Lowering lowering;
    private final TensorPlan plan;
    private final List<Row> rows;
    /** Bytes per activation element (1 int8, 2 in 16x8 mode) and per bias value (4 int32, 8 int64 in 16x8). */
    private final int activationBytes;
    private final int biasBytes;

    private ModelSummary(ModelSpec spec) {
        this(spec, 1, 4);
    }

    private ModelSummary(ModelSpec spec, int activationBytes, int biasBytes) {
        this.activationBytes = activationBytes;
        this.biasBytes = biasBytes;
        this.spec = Objects.requireNonNull(spec, "spec");
        this.plan = TensorPlan.of(spec);
        this.lowering = plan.lowering();
        this.rows = Collections.unmodifiableList(buildRows());
    }

    /** The summary of {@code spec} (the same as {@link ModelSpec#summary()}). */
    public static ModelSummary of(ModelSpec spec) {
        return new ModelSummary(spec);
    }

    /**
     * The summary of {@code spec} for TFLite's 16x8 mode: int16 activations (2 bytes per element), int8 weights and
     * int64 biases (8 bytes per value); the exporter's {@code ModelReport} prints it for an
     * {@code ExportOptions.int16x8()} export.
     *
     * <pre>{@code
     * long largest = ModelSummary.int16x8(spec).rows().get(1).activationBytes();   // twice the int8 figure
     * }</pre>
     */
    public static ModelSummary int16x8(ModelSpec spec) {
        return new ModelSummary(spec, 2, 8);
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
                    ? SpecChecker.elements(node.outputShape()) * activationBytes : -1;
            out.add(new Row(i, node.name(), LayerNames.type(layer), inputs, node.outputShape(), opText(i),
                    Params.kerasParams(layer, in), Params.flashBytes(layer, in, foldsBatchNorm(i), biasBytes), activation,
                    role == Lowering.Role.OP ? macsOf(i) : -1));
        }
        return out;
    }

    /** The MACs of the planned operators of node {@code node}, by {@link Workload} on their shapes. */
    private long macsOf(int node) {
        long sum = 0;
        for (PlannedOp op : plan.ops()) {
            if (op.node() != node) {
                continue;
            }
            List<int[]> shapes = new ArrayList<>();
            for (int t : op.inputs()) {
                shapes.add(plan.tensor(t).shape());
            }
            PlannedWeights w = plan.weights(node);
            if (w != null && op.op() == BuiltinOperator.TRANSPOSE_CONV) {
                // TFLite's operand order: output_shape [4], filter, input, bias
                shapes.add(0, new int[] {4});
                shapes.add(1, w.shape());
                shapes.add(w.hasBias() ? new int[] {w.biasLength()} : null);
            } else if (w != null && op.op() != BuiltinOperator.QUANTIZE) {
                // the exporter's operand order: input, weights, bias (absent: no bias tensor)
                shapes.add(w.shape());
                shapes.add(w.hasBias() ? new int[] {w.biasLength()} : null);
            }
            java.util.OptionalLong counted = Workload.macs(op.op(), shapes, plan.tensor(op.output()).shape());
            if (counted.isEmpty()) {
                return -1; // UNIDIRECTIONAL_SEQUENCE_LSTM: Workload does not count it, as mote inspect does not
            }
            long macs = counted.getAsLong();
            sum = macs > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + macs;
        }
        return sum;
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
            case OP -> opsOf(i);
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

    /**
     * The TFLite operators of the export, in execution order: the layers' operators with the RESHAPEs the plan
     * inserts between a sequence and its 4-D view, without the QUANTIZEs an int8 export inserts before a
     * concatenation.
     */
    public List<BuiltinOperator> ops() {
        List<BuiltinOperator> out = new ArrayList<>();
        for (PlannedOp op : plan.ops()) {
            if (op.op() != BuiltinOperator.QUANTIZE) {
                out.add(op.op());
            }
        }
        return out;
    }

    /** The operators of node {@code node} (with inserted RESHAPEs, without QUANTIZEs), joined by " + ". */
    private String opsOf(int node) {
        List<String> names = new ArrayList<>();
        for (PlannedOp op : plan.ops()) {
            if (op.node() == node && op.op() != BuiltinOperator.QUANTIZE) {
                names.add(op.op().name());
            }
        }
        return String.join(" + ", names);
    }

    /** Parameters as Keras counts them. */
    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    /** Multiply-accumulates of one invocation of the exported model: the sum of the rows' {@link Row#macs()}. */
    public long totalMacs() {
        return rows.stream().mapToLong(r -> Math.max(0, r.macs())).reduce(0,
                (a, b) -> b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b);
    }

    /** False if an operator's MACs are not counted ({@link Workload} does not model the LSTM's). */
    public boolean macsComplete() {
        return rows.stream().noneMatch(r -> r.macs() < 0 && lowering.role(r.index()) == Lowering.Role.OP);
    }

    /** Flash taken by int8 weights and int32 biases (batch norms folded). */
    public long flashBytes() {
        return rows.stream().mapToLong(Row::flashBytes).sum();
    }

    /** The table, as printed by {@link #toString()}. */
    public String table() {
        return table(List.of());
    }

    /** The table with {@code more} totals after its own, in order and aligned with them. */
    public String table(List<Total> more) {
        boolean chain = spec.isChain();
        List<String[]> cells = new ArrayList<>();
        cells.add(chain
                ? new String[] {"#", "Layer (type)", "Output shape", "Params", "TFLite op", "Flash B", "Act. B",
                        "MACs"}
                : new String[] {"#", "Layer (type)", "Inputs", "Output shape", "Params", "TFLite op", "Flash B",
                        "Act. B", "MACs"});
        for (Row r : rows) {
            List<String> c = new ArrayList<>();
            c.add(Integer.toString(r.index()));
            c.add(r.name() + " (" + r.type() + ")");
            if (!chain) {
                c.add(r.inputs().isEmpty() ? "-" : String.join(", ", r.inputs()));
            }
            c.add(Arrays.toString(r.outputShape().withBatch()));
            c.add(number(r.params()));
            c.add(r.tfliteOp());
            c.add(number(r.flashBytes()));
            c.add(r.activationBytes() < 0 ? "-" : number(r.activationBytes()));
            c.add(r.macs() < 0 ? "-" : number(r.macs()));
            cells.add(c.toArray(new String[0]));
        }
        int columns = cells.get(0).length;
        boolean[] right = new boolean[columns];
        right[0] = true;
        right[columns - 5] = true;
        right[columns - 3] = true;
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
                .append(ops().size()).append(activationBytes == 2 ? " TFLite ops, int16x8\n" : " TFLite ops, int8\n");
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
        sb.append(render(totals(), more));
        return sb.toString();
    }

    /** The totals under the table: parameters, MACs, operators, weight flash and the largest activation. */
    public List<Total> totals() {
        Row largest = null;
        for (Row r : rows) {
            if (largest == null || r.activationBytes() > largest.activationBytes()) {
                largest = r;
            }
        }
        return List.of(
                new Total("Total params", number(totalParams())),
                new Total("Total MACs", number(totalMacs()) + (macsComplete() ? ""
                        : " or more (not counted: UNIDIRECTIONAL_SEQUENCE_LSTM)")),
                new Total("TFLite ops", opCounts()),
                Total.bytes("Weights + biases (flash)", flashBytes()),
                new Total("Largest activation", number(largest.activationBytes()) + " B ('" + largest.name() + "')"));
    }

    private static String render(List<Total> own, List<Total> more) {
        List<Total> all = new ArrayList<>(own);
        all.addAll(more);
        int labelWidth = all.stream().mapToInt(t -> t.label().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (Total t : all) {
            sb.append(t.label()).append(':').append(" ".repeat(labelWidth - t.label().length() + 1))
                    .append(t.value()).append('\n');
        }
        return sb.toString();
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
        return Total.grouped(n);
    }

    @Override
    public String toString() {
        return table();
    }
}
