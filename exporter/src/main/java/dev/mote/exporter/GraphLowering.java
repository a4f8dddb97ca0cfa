package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.exporter.LoweredGraph.Op;
import dev.mote.exporter.LoweredGraph.ParamsRule;
import dev.mote.exporter.LoweredGraph.Value;
import dev.mote.runtime.format.Activation;
import dev.mote.runtime.format.BuiltinOperator;

import java.util.List;

/**
 * Lowers a {@link ModelSpec} to TFLite operators the way the TF converter does for the same Keras model:
 * <ul>
 *   <li>RELU and RELU6 directly after Dense, Conv2D or DepthwiseConv2D (whose output nothing else reads) are fused
 *       into that operator; every other activation is a standalone operator;</li>
 *   <li>BatchNorm (already folded into the preceding layer's parameters) and Dropout disappear;</li>
 *   <li>Flatten and Reshape become RESHAPE with an int32 shape tensor, GlobalAvgPool2D becomes MEAN over axes
 *       [1, 2], ZeroPad2D becomes PAD, an Add of n inputs becomes n - 1 chained ADDs.</li>
 * </ul>
 */
final class GraphLowering {
    private final ModelSpec spec;
    private final List<LayerNode> nodes;
    /** For identity nodes (BatchNorm, Dropout): the node whose value they pass on; else the node itself. */
    private final int[] root;
    /** Readers of each root value, counted through identity nodes; the model output counts as a reader. */
    private final int[] readers;
    private final LoweredGraph graph;

    private GraphLowering(ModelSpec spec) {
        this.spec = spec;
        this.nodes = spec.nodes();
        this.root = new int[nodes.size()];
        this.readers = new int[nodes.size()];
        this.graph = new LoweredGraph(nodes.size());
    }

    static LoweredGraph lower(ModelSpec spec) {
        return new GraphLowering(spec).run();
    }

    private LoweredGraph run() {
        checkStructure();
        for (int i = 0; i < nodes.size(); i++) {
            LayerNode node = nodes.get(i);
            root[i] = isIdentity(node.layer()) ? root[node.input()] : i;
        }
        for (int i = 1; i < nodes.size(); i++) {
            if (!isIdentity(nodes.get(i).layer())) {
                for (int in : nodes.get(i).inputs()) {
                    readers[root[in]]++;
                }
            }
        }
        readers[root[nodes.size() - 1]]++;
        for (int i = 0; i < nodes.size(); i++) {
            lowerNode(nodes.get(i));
        }
        graph.output = graph.valueOfNode[nodes.size() - 1];
        if (graph.output == graph.input) {
            throw new ExportException("model '" + spec.name() + "' computes nothing: its output is its input");
        }
        return graph;
    }

    private void checkStructure() {
        if (nodes.isEmpty() || !(nodes.get(0).layer() instanceof LayerSpec.Input)) {
            throw new ExportException("model '" + spec.name() + "': node 0 must be the Input layer");
        }
        for (int i = 0; i < nodes.size(); i++) {
            LayerNode node = nodes.get(i);
            if (node.index() != i) {
                throw fail(node, "has index " + node.index() + " at position " + i);
            }
            if (i > 0 && node.layer() instanceof LayerSpec.Input) {
                throw fail(node, "is a second Input layer; Mote exports single-input models");
            }
            int[] inputs = node.inputs();
            for (int in : inputs) {
                if (in < 0 || in >= i) {
                    throw fail(node, "reads node " + in + ", which does not come before it");
                }
            }
            LayerSpec layer = node.layer();
            int needed = layer instanceof LayerSpec.Input ? 0
                    : layer instanceof LayerSpec.Add || layer instanceof LayerSpec.Concatenate ? -2 : 1;
            if (needed >= 0 && inputs.length != needed || needed < 0 && inputs.length < -needed) {
                throw fail(node, "has " + inputs.length + " inputs, expected " + (needed >= 0 ? "" : "at least ")
                        + Math.abs(needed));
            }
        }
    }

    private static boolean isIdentity(LayerSpec layer) {
        return layer instanceof LayerSpec.BatchNorm || layer instanceof LayerSpec.Dropout;
    }

    private void lowerNode(LayerNode node) {
        int[] shape = node.outputShape().withBatch();
        LayerSpec layer = node.layer();
        if (layer instanceof LayerSpec.Input) {
            Value v = graph.newValue(shape, node.index(), ParamsRule.RANGE);
            graph.input = v.id;
            graph.valueOfNode[node.index()] = v.id;
        } else if (layer instanceof LayerSpec.Dense) {
            emit(BuiltinOperator.FULLY_CONNECTED, node, shape, ParamsRule.RANGE);
        } else if (layer instanceof LayerSpec.Conv2D) {
            emit(BuiltinOperator.CONV_2D, node, shape, ParamsRule.RANGE);
        } else if (layer instanceof LayerSpec.DepthwiseConv2D) {
            emit(BuiltinOperator.DEPTHWISE_CONV_2D, node, shape, ParamsRule.RANGE);
        } else if (layer instanceof LayerSpec.MaxPool2D) {
            emit(BuiltinOperator.MAX_POOL_2D, node, shape, ParamsRule.SAME_AS_INPUT);
        } else if (layer instanceof LayerSpec.AvgPool2D) {
            emit(BuiltinOperator.AVERAGE_POOL_2D, node, shape, ParamsRule.SAME_AS_INPUT);
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            emit(BuiltinOperator.MEAN, node, shape, ParamsRule.SAME_AS_INPUT);
        } else if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Reshape) {
            emit(BuiltinOperator.RESHAPE, node, shape, ParamsRule.SAME_AS_INPUT);
        } else if (layer instanceof LayerSpec.ZeroPad2D) {
            emit(BuiltinOperator.PAD, node, shape, ParamsRule.SAME_AS_INPUT);
        } else if (layer instanceof LayerSpec.Concatenate) {
            emit(BuiltinOperator.CONCATENATION, node, shape, ParamsRule.RANGE);
        } else if (layer instanceof LayerSpec.Add) {
            lowerAdd(node, shape);
        } else if (layer instanceof LayerSpec.Activation a) {
            lowerActivation(node, a, shape);
        } else if (layer instanceof LayerSpec.BatchNorm) {
            lowerBatchNorm(node);
        } else if (layer instanceof LayerSpec.Dropout) {
            graph.valueOfNode[node.index()] = graph.valueOfNode[node.input()];
        } else {
            throw fail(node, "is a layer kind the exporter does not know");
        }
    }

    private Value emit(BuiltinOperator op, LayerNode node, int[] shape, ParamsRule rule) {
        return emit(op, node, inputValues(node), shape, rule, null);
    }

    private Value emit(BuiltinOperator op, LayerNode node, int[] inputs, int[] shape, ParamsRule rule,
                       ActivationKind activation) {
        Value out = graph.newValue(shape, node.index(), rule);
        if (rule == ParamsRule.SAME_AS_INPUT) {
            out.sameAs = inputs[0];
        }
        graph.ops.add(new Op(op, node, inputs, out.id, activation));
        graph.valueOfNode[node.index()] = out.id;
        return out;
    }

    private int[] inputValues(LayerNode node) {
        int[] in = node.inputs();
        int[] values = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            values[i] = graph.valueOfNode[in[i]];
        }
        return values;
    }

    private void lowerAdd(LayerNode node, int[] shape) {
        int[] in = inputValues(node);
        int acc = in[0];
        for (int i = 1; i < in.length; i++) {
            acc = emit(BuiltinOperator.ADD, node, new int[] {acc, in[i]}, shape, ParamsRule.RANGE, null).id;
        }
    }

    private void lowerActivation(LayerNode node, LayerSpec.Activation a, int[] shape) {
        int inNode = node.input();
        int source = root[inNode];
        Op producer = graph.producer(graph.valueOfNode[inNode]);
        boolean fusable = (a.kind() == ActivationKind.RELU || a.kind() == ActivationKind.RELU6)
                && producer != null && producer.fused == Activation.NONE && readers[source] == 1
                && (producer.op == BuiltinOperator.FULLY_CONNECTED || producer.op == BuiltinOperator.CONV_2D
                || producer.op == BuiltinOperator.DEPTHWISE_CONV_2D);
        if (fusable) {
            producer.fused = a.kind() == ActivationKind.RELU ? Activation.RELU : Activation.RELU6;
            Value v = graph.value(producer.output);
            v.rangeNode = node.index();
            v.nameNode = node.index();
            graph.valueOfNode[node.index()] = v.id;
            return;
        }
        ParamsRule rule = a.kind() == ActivationKind.SIGMOID || a.kind() == ActivationKind.SOFTMAX
                ? ParamsRule.UNIT_INTERVAL
                : a.kind() == ActivationKind.TANH ? ParamsRule.SYMMETRIC_UNIT : ParamsRule.RANGE;
        emit(a.kind().op(), node, inputValues(node), shape, rule, a.kind());
    }

    /** BatchNorm is folded into the layer before it: legal only if that layer's output reaches nothing else. */
    private void lowerBatchNorm(LayerNode node) {
        int p = node.input();
        while (isIdentity(nodes.get(p).layer())) {
            if (directReaders(p) != 1) {
                throw fail(node, "cannot be folded: " + describe(nodes.get(p)) + " between it and its layer has "
                        + "other readers");
            }
            p = nodes.get(p).input();
        }
        LayerSpec layer = nodes.get(p).layer();
        boolean linear = layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Conv2D
                || layer instanceof LayerSpec.DepthwiseConv2D;
        if (!linear) {
            throw fail(node, "cannot be folded: it must follow Dense, Conv2D or DepthwiseConv2D directly, but follows "
                    + describe(nodes.get(p)));
        }
        if (directReaders(p) != 1) {
            throw fail(node, "cannot be folded: the output of " + describe(nodes.get(p))
                    + " is also read by another layer");
        }
        Value v = graph.value(graph.valueOfNode[node.input()]);
        v.rangeNode = node.index();
        graph.valueOfNode[node.index()] = v.id;
    }

    private int directReaders(int nodeIndex) {
        int count = nodeIndex == nodes.size() - 1 ? 1 : 0;
        for (LayerNode n : nodes) {
            for (int in : n.inputs()) {
                if (in == nodeIndex) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String describe(LayerNode node) {
        return "node " + node.index() + " '" + node.name() + "' (" + node.layer().getClass().getSimpleName() + ")";
    }

    static ExportException fail(LayerNode node, String problem) {
        return new ExportException(describe(node) + " " + problem);
    }
}
