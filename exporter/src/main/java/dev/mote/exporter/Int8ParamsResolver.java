package dev.mote.exporter;

import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.exporter.LoweredGraph.Op;
import dev.mote.exporter.LoweredGraph.ParamsRule;
import dev.mote.exporter.LoweredGraph.Value;
import dev.mote.vocabulary.BuiltinOperator;

import java.util.Arrays;

/**
 * Chooses the int8 parameters of every value of a {@link LoweredGraph}: from its float range, fixed by its
 * operator (SOFTMAX, LOGISTIC, TANH), or inherited from its input (pooling, reshape, pad, mean).
 *
 * <p>CONCATENATION needs its inputs and output on one scale (desktop TFLite refuses anything else). As the TF
 * converter does, the concatenation's own range decides, and it is propagated back to each input's producer
 * (through pooling/reshape/pad); an input whose parameters are already fixed otherwise (an op with fixed output
 * parameters, or an input of another concatenation on a different scale) is requantized by a QUANTIZE operator
 * inserted before the concatenation.
 */
final class Int8ParamsResolver {
    private final LoweredGraph graph;
    private final ModelParameters parameters;
    private final ModelSpec spec;
    private QuantParams[] own;
    private int[] pinnedBy;

    private Int8ParamsResolver(LoweredGraph graph, ModelSpec spec, ModelParameters parameters) {
        this.graph = graph;
        this.spec = spec;
        this.parameters = parameters;
    }

    /** Resolves parameters, inserting requantize operators into {@code graph} where needed. */
    static QuantParams[] resolve(LoweredGraph graph, ModelSpec spec, ModelParameters parameters) {
        return new Int8ParamsResolver(graph, spec, parameters).run();
    }

    private QuantParams[] run() {
        int n = graph.values.size();
        own = new QuantParams[n];
        pinnedBy = new int[n];
        Arrays.fill(pinnedBy, -1);
        for (Value v : graph.values) {
            own[v.id] = ownParams(v);
        }
        for (int i = 0; i < graph.ops.size(); i++) {
            Op op = graph.ops.get(i);
            if (op.op == BuiltinOperator.CONCATENATION) {
                i += unifyConcatenation(i, op);
            }
        }
        QuantParams[] resolved = new QuantParams[graph.values.size()];
        for (Value v : graph.values) {
            resolved[v.id] = own[rootOf(v.id)];
        }
        return resolved;
    }

    private QuantParams ownParams(Value v) {
        return switch (v.rule) {
            case UNIT_INTERVAL -> QuantParams.UNIT_INTERVAL;
            case SYMMETRIC_UNIT -> QuantParams.SYMMETRIC_UNIT;
            case SAME_AS_INPUT -> null;
            case RANGE -> fromRange(v.rangeNode);
        };
    }

    private QuantParams fromRange(int node) {
        ValueRange range = parameters.outputRange(node);
        if (range == null) {
            throw GraphLowering.fail(spec.node(node), "has no output range in the model parameters; int8 export needs "
                    + "the range of every layer output (calibrate or train with quantization first)");
        }
        try {
            return Int8Quantizer.activation(range.min(), range.max());
        } catch (IllegalArgumentException e) {
            throw GraphLowering.fail(spec.node(node), "has an unusable output range: " + e.getMessage());
        }
    }

    private int rootOf(int value) {
        int v = value;
        while (graph.value(v).rule == ParamsRule.SAME_AS_INPUT) {
            v = graph.value(v).sameAs;
        }
        return v;
    }

    /** Returns how many operators were inserted before {@code opIndex}. */
    private int unifyConcatenation(int opIndex, Op concat) {
        QuantParams target = own[concat.output];
        pinnedBy[concat.output] = opIndex;
        int inserted = 0;
        for (int slot = 0; slot < concat.inputs.length; slot++) {
            int root = rootOf(concat.inputs[slot]);
            if (target.equals(own[root])) {
                pinnedBy[root] = pinnedBy[root] == -1 ? opIndex : pinnedBy[root];
                continue;
            }
            Value r = graph.value(root);
            boolean free = r.rule == ParamsRule.RANGE && pinnedBy[root] == -1;
            if (free) {
                own[root] = target;
                pinnedBy[root] = opIndex;
                continue;
            }
            Value source = graph.value(concat.inputs[slot]);
            Value requantized = graph.newValue(source.shape, concat.node.index(), ParamsRule.RANGE);
            requantized.nameNode = source.nameNode;
            own = Arrays.copyOf(own, graph.values.size());
            pinnedBy = Arrays.copyOf(pinnedBy, graph.values.size());
            own[requantized.id] = target;
            pinnedBy[requantized.id] = opIndex;
            graph.ops.add(opIndex + inserted, new Op(BuiltinOperator.QUANTIZE, concat.node,
                    new int[] {source.id}, requantized.id, null));
            concat.inputs[slot] = requantized.id;
            inserted++;
        }
        return inserted;
    }
}
