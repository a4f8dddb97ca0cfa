package dev.mote.dsl;

import dev.mote.runtime.format.BuiltinOperator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How each node of a {@link ModelSpec} becomes TFLite operators in an int8 export, as the exporter lowers it
 * (the way the TensorFlow Lite converter lowers the equivalent Keras model):
 * <ul>
 *   <li>{@link Role#OP}: the node becomes one builtin operator ({@link #op(int)}); flatten and reshape become
 *       RESHAPE, global average pooling MEAN, zero padding PAD;</li>
 *   <li>{@link Role#FUSED}: a RELU or RELU6 right after FULLY_CONNECTED, CONV_2D or DEPTHWISE_CONV_2D (with nothing
 *       else reading the linear output) becomes that operator's fused activation;</li>
 *   <li>{@link Role#FOLDED}: batch normalization is folded into the preceding layer's weights and bias;</li>
 *   <li>{@link Role#REMOVED}: dropout exists only in training.</li>
 * </ul>
 * The exporter emits one operator per {@code OP} node, in node order, reading the tensors of
 * {@link #source(int) source(input)} for each input; the model output is the tensor of
 * {@code source(last node)}.
 *
 * <pre>{@code
 * Lowering lowering = Lowering.of(spec);
 * for (LayerNode node : spec.nodes()) {
 *     if (lowering.role(node.index()) == Lowering.Role.OP) {
 *         BuiltinOperator op = lowering.op(node.index());
 *         ActivationKind fused = lowering.fusedActivation(node.index()); // null: Activation.NONE
 *     }
 * }
 * }</pre>
 */
public final class Lowering {

    /** What becomes of a node in the exported model. */
    public enum Role {
        /** The model input tensor. */
        INPUT,
        /** One builtin operator. */
        OP,
        /** An activation fused into the operator of {@link #into(int)}. */
        FUSED,
        /** Batch normalization folded into the weights and bias of {@link #into(int)}. */
        FOLDED,
        /** Dropout, dropped at export. */
        REMOVED
    }

    /** The builtin operators TFLM provides int8 kernels for, among those the DSL can emit. */
    static final Set<BuiltinOperator> TFLM_INT8 = Collections.unmodifiableSet(EnumSet.of(
            BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D,
            BuiltinOperator.MAX_POOL_2D, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MEAN,
            BuiltinOperator.RESHAPE, BuiltinOperator.PAD, BuiltinOperator.ADD, BuiltinOperator.CONCATENATION,
            BuiltinOperator.RELU, BuiltinOperator.RELU6, BuiltinOperator.TANH, BuiltinOperator.LOGISTIC,
            BuiltinOperator.SOFTMAX, BuiltinOperator.LEAKY_RELU, BuiltinOperator.HARD_SWISH));

    private final Role[] roles;
    private final BuiltinOperator[] ops;
    private final ActivationKind[] fused;
    private final int[] into;
    private final int[] source;

    private Lowering(int n) {
        roles = new Role[n];
        ops = new BuiltinOperator[n];
        fused = new ActivationKind[n];
        into = new int[n];
        source = new int[n];
    }

    /** The lowering of a validated spec. */
    public static Lowering of(ModelSpec spec) {
        List<LayerNode> nodes = spec.nodes();
        int n = nodes.size();
        int[][] inputs = new int[n][];
        for (int i = 0; i < n; i++) {
            inputs[i] = nodes.get(i).inputs();
        }
        int[] consumers = consumerCounts(inputs);
        Lowering l = new Lowering(n);
        for (int i = 0; i < n; i++) {
            LayerSpec layer = nodes.get(i).layer();
            l.into[i] = -1;
            l.source[i] = i;
            if (layer instanceof LayerSpec.Input) {
                l.roles[i] = Role.INPUT;
            } else if (layer instanceof LayerSpec.Dropout) {
                l.roles[i] = Role.REMOVED;
                l.source[i] = l.source[inputs[i][0]];
            } else if (layer instanceof LayerSpec.BatchNorm) {
                l.roles[i] = Role.FOLDED;
                l.into[i] = l.source[inputs[i][0]];
                l.source[i] = l.source[inputs[i][0]];
            } else if (layer instanceof LayerSpec.Activation a && fusable(a.kind())) {
                int target = fusionTarget(inputs, consumers, l, i);
                if (target >= 0) {
                    l.roles[i] = Role.FUSED;
                    l.into[i] = target;
                    l.source[i] = target;
                    l.fused[target] = a.kind();
                } else {
                    l.roles[i] = Role.OP;
                    l.ops[i] = opOf(layer);
                }
            } else {
                l.roles[i] = Role.OP;
                l.ops[i] = opOf(layer);
            }
        }
        return l;
    }

    /** The builtin a layer becomes when it is an operator of its own ({@code null} for input, dropout, batch norm). */
    static BuiltinOperator opOf(LayerSpec layer) {
        if (layer instanceof LayerSpec.Dense) {
            return BuiltinOperator.FULLY_CONNECTED;
        } else if (layer instanceof LayerSpec.Conv2D) {
            return BuiltinOperator.CONV_2D;
        } else if (layer instanceof LayerSpec.DepthwiseConv2D) {
            return BuiltinOperator.DEPTHWISE_CONV_2D;
        } else if (layer instanceof LayerSpec.MaxPool2D) {
            return BuiltinOperator.MAX_POOL_2D;
        } else if (layer instanceof LayerSpec.AvgPool2D) {
            return BuiltinOperator.AVERAGE_POOL_2D;
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            return BuiltinOperator.MEAN;
        } else if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Reshape) {
            return BuiltinOperator.RESHAPE;
        } else if (layer instanceof LayerSpec.ZeroPad2D) {
            return BuiltinOperator.PAD;
        } else if (layer instanceof LayerSpec.Add) {
            return BuiltinOperator.ADD;
        } else if (layer instanceof LayerSpec.Concatenate) {
            return BuiltinOperator.CONCATENATION;
        } else if (layer instanceof LayerSpec.Activation a) {
            return a.kind() == null ? null : a.kind().op();
        }
        return null;
    }

    private static boolean fusable(ActivationKind kind) {
        // TFLite's fused activation field knows RELU, RELU_N1_TO_1, RELU6 (TANH and SIGN_BIT are not honoured by
        // TFLM's quantized kernels), so only these two are fused.
        return kind == ActivationKind.RELU || kind == ActivationKind.RELU6;
    }

    private static boolean fusesActivations(BuiltinOperator op) {
        return op == BuiltinOperator.FULLY_CONNECTED || op == BuiltinOperator.CONV_2D
                || op == BuiltinOperator.DEPTHWISE_CONV_2D;
    }

    /** The OP node an activation at {@code i} fuses into, walking back through folded / removed nodes, or -1. */
    private static int fusionTarget(int[][] inputs, int[] consumers, Lowering l, int i) {
        int p = inputs[i][0];
        while (l.roles[p] == Role.FOLDED || l.roles[p] == Role.REMOVED) {
            if (consumers[p] != 1) {
                return -1;
            }
            p = inputs[p][0];
        }
        if (l.roles[p] != Role.OP || consumers[p] != 1 || l.fused[p] != null || !fusesActivations(l.ops[p])) {
            return -1;
        }
        return p;
    }

    static int[] consumerCounts(int[][] inputs) {
        int[] counts = new int[inputs.length];
        for (int[] in : inputs) {
            for (int p : in) {
                if (p >= 0 && p < counts.length) {
                    counts[p]++;
                }
            }
        }
        return counts;
    }

    /** What node {@code node} becomes. */
    public Role role(int node) {
        return roles[node];
    }

    /** The operator of an {@link Role#OP} node, {@code null} for other roles. */
    public BuiltinOperator op(int node) {
        return ops[node];
    }

    /** The activation fused into the operator of {@code node}, or {@code null} (no fused activation). */
    public ActivationKind fusedActivation(int node) {
        return fused[node];
    }

    /** The operator a FUSED activation or FOLDED batch norm goes into; -1 for the other roles. */
    public int into(int node) {
        return into[node];
    }

    /**
     * The node whose tensor carries node {@code node}'s value in the export: itself for the input and operators, the
     * fused operator for a fused activation, the carrier of the input for folded and removed nodes.
     */
    public int source(int node) {
        return source[node];
    }

    /** The operators in execution order. */
    public List<BuiltinOperator> ops() {
        List<BuiltinOperator> out = new ArrayList<>();
        for (BuiltinOperator op : ops) {
            if (op != null) {
                out.add(op);
            }
        }
        return out;
    }
}
