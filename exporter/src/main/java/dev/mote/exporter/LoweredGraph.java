package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerNode;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link dev.mote.dsl.ModelSpec} lowered to TFLite operators, before any precision is chosen: which operator
 * each layer became, which activations were fused, and which values (future tensors) flow between operators.
 * Folded batch norms, absorbed flattens and removed dropouts are gone; their nodes map onto the value they pass
 * through. Built by {@link GraphLowering} from the decisions of {@link dev.mote.dsl.Lowering}.
 */
final class LoweredGraph {

    /** How a value's int8 parameters are chosen. */
    enum ParamsRule {
        /** From the float range of {@link Value#rangeNode}. */
        RANGE,
        /** Fixed by the operator: SOFTMAX, LOGISTIC. */
        UNIT_INTERVAL,
        /** Fixed by the operator: TANH. */
        SYMMETRIC_UNIT,
        /** The same as the operator's first input (pooling, reshape, pad, mean). */
        SAME_AS_INPUT
    }

    /** A tensor-to-be: its shape (with the batch dimension), who produces it and how it is quantized. */
    static final class Value {
        final int id;
        final int[] shape;
        int rangeNode;
        ParamsRule rule;
        int sameAs = -1;
        /** The DSL node whose name this value carries. */
        int nameNode;

        Value(int id, int[] shape, int rangeNode, ParamsRule rule) {
            this.id = id;
            this.shape = shape.clone();
            this.rangeNode = rangeNode;
            this.nameNode = rangeNode;
            this.rule = rule;
        }
    }

    /** One TFLite operator: the DSL node it comes from, its value inputs and output, a fused activation. */
    static final class Op {
        final BuiltinOperator op;
        final LayerNode node;
        final int[] inputs;
        final int output;
        Activation fused = Activation.NONE;
        /** For standalone activation ops: which activation (LEAKY_RELU needs its alpha). */
        final ActivationKind activation;

        Op(BuiltinOperator op, LayerNode node, int[] inputs, int output, ActivationKind activation) {
            this.op = op;
            this.node = node;
            this.inputs = inputs.clone();
            this.output = output;
            this.activation = activation;
        }
    }

    final List<Value> values = new ArrayList<>();
    final List<Op> ops = new ArrayList<>();
    /** For every DSL node, the value holding its output. */
    final int[] valueOfNode;
    int input = -1;
    int output = -1;

    LoweredGraph(int nodeCount) {
        valueOfNode = new int[nodeCount];
        java.util.Arrays.fill(valueOfNode, -1);
    }

    Value newValue(int[] shape, int rangeNode, ParamsRule rule) {
        Value v = new Value(values.size(), shape, rangeNode, rule);
        values.add(v);
        return v;
    }

    Value value(int id) {
        return values.get(id);
    }
}
