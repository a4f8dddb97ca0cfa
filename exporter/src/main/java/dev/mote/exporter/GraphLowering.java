package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.InvalidModelSpecException;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.Lowering;
import dev.mote.dsl.ModelSpec;
import dev.mote.exporter.LoweredGraph.Op;
import dev.mote.exporter.LoweredGraph.ParamsRule;
import dev.mote.exporter.LoweredGraph.Value;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;

import java.util.List;

/**
 * Builds the {@link LoweredGraph} of a {@link ModelSpec} from the DSL's {@link Lowering}, which alone decides what
 * each node becomes (operator, fused activation, folded batch norm, absorbed flatten, removed dropout). This class
 * only turns those decisions into values (future tensors) and operators:
 * <ul>
 *   <li>an operator node writes a new value, quantized from its own range, fixed by its operator (SOFTMAX,
 *       LOGISTIC, TANH) or as its input (pooling, MEAN, RESHAPE, PAD); an add of n inputs becomes n - 1 chained
 *       ADDs, the last one carrying the fused activation;</li>
 *   <li>a fused activation or folded batch norm passes its range to the value of the operator it went into (a fused
 *       activation also its name); absorbed and removed nodes just alias the value of {@link Lowering#source}.</li>
 * </ul>
 */
final class GraphLowering {
    private final ModelSpec spec;
    private final Lowering lowering;
    private final LoweredGraph graph;

    private GraphLowering(ModelSpec spec, Lowering lowering) {
        this.spec = spec;
        this.lowering = lowering;
        this.graph = new LoweredGraph(spec.nodes().size());
    }

    static LoweredGraph lower(ModelSpec spec) {
        Lowering lowering;
        try {
            lowering = Lowering.of(spec);
        } catch (InvalidModelSpecException e) {
            throw refused(spec, e);
        }
        return new GraphLowering(spec, lowering).run();
    }

    private LoweredGraph run() {
        List<LayerNode> nodes = spec.nodes();
        for (LayerNode node : nodes) {
            int i = node.index();
            switch (lowering.role(i)) {
                case INPUT -> {
                    Value v = graph.newValue(node.outputShape().withBatch(), i, ParamsRule.RANGE);
                    graph.input = v.id;
                    graph.valueOfNode[i] = v.id;
                }
                case OP -> emit(node);
                case FUSED, FOLDED -> {
                    Value v = graph.value(graph.valueOfNode[lowering.source(i)]);
                    v.rangeNode = i;
                    if (lowering.role(i) == Lowering.Role.FUSED) {
                        v.nameNode = i;
                    }
                    graph.valueOfNode[i] = v.id;
                }
                case ABSORBED, REMOVED -> graph.valueOfNode[i] = graph.valueOfNode[lowering.source(i)];
            }
        }
        graph.output = graph.valueOfNode[lowering.output()];
        if (graph.output == graph.input) {
            throw new ExportException("model '" + spec.name() + "' computes nothing: its output is its input");
        }
        return graph;
    }

    private void emit(LayerNode node) {
        BuiltinOperator op = lowering.op(node.index());
        if (op == null) {
            throw fail(node, "is a layer kind the exporter does not know");
        }
        int[] in = node.inputs();
        int[] values = new int[in.length];
        for (int k = 0; k < in.length; k++) {
            values[k] = graph.valueOfNode[in[k]];
        }
        int[] shape = node.outputShape().withBatch();
        ParamsRule rule = paramsRule(op);
        ActivationKind activation = node.layer() instanceof LayerSpec.Activation a ? a.kind() : null;
        Op last;
        if (op == BuiltinOperator.ADD) {
            // an add of n inputs: n - 1 chained ADDs, each on the add's range
            last = emit(op, node, new int[] {values[0], values[1]}, shape, rule, activation);
            for (int k = 2; k < values.length; k++) {
                last = emit(op, node, new int[] {last.output, values[k]}, shape, rule, activation);
            }
        } else {
            last = emit(op, node, values, shape, rule, activation);
        }
        last.fused = fusedCode(lowering.fusedActivation(node.index()));
    }

    private Op emit(BuiltinOperator op, LayerNode node, int[] inputs, int[] shape, ParamsRule rule,
                    ActivationKind activation) {
        Value out = graph.newValue(shape, node.index(), rule);
        if (rule == ParamsRule.SAME_AS_INPUT) {
            out.sameAs = inputs[0];
        }
        Op o = new Op(op, node, inputs, out.id, activation);
        graph.ops.add(o);
        graph.valueOfNode[node.index()] = out.id;
        return o;
    }

    /** How the output of {@code op} is quantized (TFLite's int8 quantization spec). */
    private static ParamsRule paramsRule(BuiltinOperator op) {
        return switch (op) {
            case MAX_POOL_2D, AVERAGE_POOL_2D, MEAN, RESHAPE, PAD -> ParamsRule.SAME_AS_INPUT;
            case SOFTMAX, LOGISTIC -> ParamsRule.UNIT_INTERVAL;
            case TANH -> ParamsRule.SYMMETRIC_UNIT;
            default -> ParamsRule.RANGE;
        };
    }

    private static Activation fusedCode(ActivationKind kind) {
        if (kind == null) {
            return Activation.NONE;
        }
        return switch (kind) {
            case RELU -> Activation.RELU;
            case RELU6 -> Activation.RELU6;
            default -> throw new ExportException("internal: " + kind + " cannot be a fused activation");
        };
    }

    /** The lowering's refusal of a hand-assembled spec, as an export failure naming the node. */
    private static ExportException refused(ModelSpec spec, InvalidModelSpecException e) {
        int i = e.layerIndex();
        String message = i < 0 || i >= spec.nodes().size()
                ? "model '" + spec.name() + "' " + e.problem()
                : "node " + i + " '" + e.layerName() + "' (" + simpleName(spec.nodes().get(i).layer()) + ") "
                + e.problem();
        return new ExportException(message, e);
    }

    private static String simpleName(LayerSpec layer) {
        return layer == null ? "null" : layer.getClass().getSimpleName();
    }

    private static String describe(LayerNode node) {
        return "node " + node.index() + " '" + node.name() + "' (" + simpleName(node.layer()) + ")";
    }

    static ExportException fail(LayerNode node, String problem) {
        return new ExportException(describe(node) + " " + problem);
    }
}
