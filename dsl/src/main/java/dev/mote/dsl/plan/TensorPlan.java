package dev.mote.dsl.plan;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.SequenceImage;
import dev.mote.dsl.Shape;
import dev.mote.dsl.Lowering;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.FixedRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one quantization contract of a {@link ModelSpec}: every activation tensor of its TFLite export (the operator
 * that writes it, the node whose value it holds, its quantization rule), every operator in execution order, and
 * every weight tensor (shape, layout, per-channel axis, bias). Computed from the DSL's {@link Lowering}; the
 * trainer places fake quantization from it ({@link #fakeQuantized(int)}, {@link #tensorRanges}), the exporter
 * writes tensors, operators and parameters from it, and the summary counts bytes from it.
 *
 * <p>The rules, as TFLite's int8 quantization spec and converter apply them:
 * <ul>
 *   <li>the model input and every operator output that is not otherwise ruled is {@link QuantRule#LEARNED} from
 *       the range of the last node it holds (a CONV_2D with a fused RELU: the RELU's range);</li>
 *   <li>SOFTMAX and LOGISTIC outputs are {@link FixedRange#UNIT_INTERVAL}, TANH {@link FixedRange#SYMMETRIC_UNIT};</li>
 *   <li>RESHAPE, MAX_POOL_2D, AVERAGE_POOL_2D, MEAN, PAD and STRIDED_SLICE (the last step of a sequence) keep
 *       their input's parameters ({@link QuantRule#SAME_AS_INPUT});</li>
 *   <li>a sequence {@code [steps, c]} is the tensor {@code [1, steps, c]}; conv1d, the 1-D poolings and global
 *       average pooling run on its 4-D view {@code [1, 1, steps, c]} ({@link SequenceImage}), as the TF converter
 *       lowers Keras' Conv1D. The plan inserts a RESHAPE (pass-through, {@link QuantRule#SAME_AS_INPUT}) where a
 *       3-D sequence must become the view (before the first 1-D layer) and back (before an LSTM, a dense per step,
 *       a last step, a pad, and at the model output); consecutive 1-D layers and element-wise layers between them
 *       share the view, and FULLY_CONNECTED after a flatten and RESHAPE read any rank;</li>
 *   <li>UNIDIRECTIONAL_SEQUENCE_LSTM's output {@code [1, steps, units]} is {@link QuantRule#LEARNED}; its operator
 *       reads two more planned tensors after the sequence, the variable output state {@code [1, units]}
 *       ({@link QuantRule#SAME_AS_OUTPUT}: the output's parameters) and cell state {@code [1, units]}
 *       ({@link QuantRule#CELL_STATE}: int16, power-of-two scale from the node's cell-state range); TFLM's integer
 *       LSTM fixes its gate outputs at 2^-12 / 2^-15 internally and reads no intermediate tensors;</li>
 *   <li>CONCATENATION needs one scale on its inputs and output: its own learned range decides; each input whose
 *       parameters are still free (learned, not yet taken by another concatenation) takes them
 *       ({@link QuantRule#UNIFIED}), through pass-through ops; any other input is requantized by a QUANTIZE
 *       operator inserted before the concatenation;</li>
 *   <li>weights are int8 symmetric, per output channel for CONV_2D (axis 0) and DEPTHWISE_CONV_2D (axis 3), per
 *       tensor for FULLY_CONNECTED; CONV_2D and DEPTHWISE_CONV_2D always get a bias (zeros when the layer has
 *       none, as the converter writes), FULLY_CONNECTED only when it uses one or a batch norm is folded into it.</li>
 * </ul>
 *
 * <pre>{@code
 * TensorPlan plan = TensorPlan.of(spec);
 * for (PlannedOp op : plan.ops()) {
 *     PlannedTensor out = plan.tensor(op.output());
 *     PlannedTensor root = plan.paramsRoot(out);   // LEARNED (range of root.rangeNode()) or FIXED
 * }
 * PlannedWeights w = plan.weights(1);              // shape, layout, channel axis, bias length
 * }</pre>
 */
public final class TensorPlan {
    private final ModelSpec spec;
    private final Lowering lowering;
    private final List<PlannedTensor> tensors;
    private final List<PlannedOp> ops;
    private final int[] tensorOfNode;
    private final PlannedWeights[] weights;
    private final int input;
    private final int output;

    private TensorPlan(ModelSpec spec, Lowering lowering, List<PlannedTensor> tensors, List<PlannedOp> ops,
                       int[] tensorOfNode, PlannedWeights[] weights, int input, int output) {
        this.spec = spec;
        this.lowering = lowering;
        this.tensors = Collections.unmodifiableList(tensors);
        this.ops = Collections.unmodifiableList(ops);
        this.tensorOfNode = tensorOfNode;
        this.weights = weights;
        this.input = input;
        this.output = output;
    }

    /**
     * The plan of {@code spec}.
     *
     * @throws dev.mote.dsl.InvalidModelSpecException naming the node whose wiring is broken or whose batch norm
     *                                                cannot be folded (a spec assembled by hand)
     */
    public static TensorPlan of(ModelSpec spec) {
        Lowering lowering = Lowering.of(spec);
        Builder b = new Builder(spec, lowering);
        b.lower();
        b.restoreOutput();
        b.unifyConcatenations();
        List<PlannedTensor> tensors = new ArrayList<>();
        for (Builder.Tensor t : b.tensors) {
            tensors.add(t.freeze());
        }
        return new TensorPlan(spec, lowering, tensors, b.frozenOps(), b.tensorOfNode, b.weights(),
                b.input, b.output);
    }

    /** The spec this plan is of. */
    public ModelSpec spec() {
        return spec;
    }

    /** What each node becomes (operator, fused, folded, absorbed, removed). */
    public Lowering lowering() {
        return lowering;
    }

    /** Every activation tensor, the model input first. */
    public List<PlannedTensor> tensors() {
        return tensors;
    }

    /** Tensor {@code id}. */
    public PlannedTensor tensor(int id) {
        return tensors.get(id);
    }

    /**
     * The operators in execution order, with the QUANTIZEs inserted before concatenations (they requantize in an
     * integer model; a float model has none and reads their input instead) and the RESHAPEs inserted between a
     * sequence and its 4-D view ({@link PlannedOp#node()}: the layer that reads the reshaped tensor, or the output
     * node for the one restoring the model output).
     */
    public List<PlannedOp> ops() {
        return ops;
    }

    /** The model input tensor. */
    public PlannedTensor input() {
        return tensors.get(input);
    }

    /** The model output tensor. */
    public PlannedTensor output() {
        return tensors.get(output);
    }

    /** The tensor that holds node {@code node}'s value in the export. */
    public PlannedTensor tensorOf(int node) {
        return tensors.get(tensorOfNode[node]);
    }

    /**
     * The tensor whose rule gives {@code t}'s parameters: {@code t} itself if it is {@link QuantRule#LEARNED} or
     * {@link QuantRule#FIXED}, else the end of its {@link PlannedTensor#sameAs()} chain.
     */
    public PlannedTensor paramsRoot(PlannedTensor t) {
        PlannedTensor r = t;
        while (r.sameAs() >= 0) {
            r = tensors.get(r.sameAs());
        }
        return r;
    }

    /** The weights of node {@code node}, or {@code null} if it has none. */
    public PlannedWeights weights(int node) {
        return weights[node];
    }

    /**
     * The tensor whose value node {@code node} computes last and that the trainer fake-quantizes at that node's
     * output, or {@code null}: every tensor whose producer requantizes (not a pass-through that only moves
     * values), at the node whose value it holds. Its parameters come from {@link #paramsRoot}.
     */
    public PlannedTensor fakeQuantized(int node) {
        PlannedTensor t = tensorOf(node);
        if (t.valueNode() != node) {
            return null;
        }
        return t.rule() == QuantRule.SAME_AS_INPUT && !t.roundsOnInputGrid() ? null : t;
    }

    /**
     * The range of the tensor that holds each node's value, from the observed ranges of node outputs (one per node,
     * {@code null} where not observed): a learned root's observed range widened to contain 0, a fixed root's
     * fixed range. Nodes that share a tensor, or tensors that share parameters, get the same range.
     */
    public ValueRange[] tensorRanges(ValueRange[] observed) {
        ValueRange[] result = new ValueRange[tensorOfNode.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = rangeOf(paramsRoot(tensorOf(i)), observed);
        }
        return result;
    }

    private static ValueRange rangeOf(PlannedTensor root, ValueRange[] observed) {
        if (root.rule() == QuantRule.FIXED) {
            return ValueRange.of(root.fixedRange());
        }
        ValueRange r = observed[root.rangeNode()];
        return r == null ? new ValueRange(0f, 0f) : new ValueRange(Math.min(0f, r.min()), Math.max(0f, r.max()));
    }

    /** The fixed range of an operator's output, or {@code null} if it is not fixed. */
    static FixedRange fixedRangeOf(BuiltinOperator op) {
        return switch (op) {
            case SOFTMAX, LOGISTIC -> FixedRange.UNIT_INTERVAL;
            case TANH -> FixedRange.SYMMETRIC_UNIT;
            default -> null;
        };
    }

    /** True for the operators whose output keeps the input's parameters. */
    static boolean passesThrough(BuiltinOperator op) {
        return switch (op) {
            case MAX_POOL_2D, AVERAGE_POOL_2D, MEAN, RESHAPE, PAD, STRIDED_SLICE -> true;
            default -> false;
        };
    }

    /** Builds the tensors and operators from the lowering, node by node. */
    private static final class Builder {
        private final ModelSpec spec;
        private final Lowering lowering;
        private final List<Tensor> tensors = new ArrayList<>();
        private final List<Op> ops = new ArrayList<>();
        private final int[] tensorOfNode;
        /** Tensors on the 4-D sequence view, and the RESHAPEs already inserted each way. */
        private final java.util.Set<Integer> viewTensors = new java.util.HashSet<>();
        private final java.util.Map<Integer, Integer> views = new java.util.HashMap<>();
        private final java.util.Map<Integer, Integer> sequences = new java.util.HashMap<>();
        private int input = -1;
        private int output = -1;

        /** A tensor while the plan is built (its range node and rule change as nodes fold into it). */
        private static final class Tensor {
            final int id;
            final int[] shape;
            final BuiltinOperator producer;
            final int producerNode;
            int valueNode;
            int nameNode;
            QuantRule rule;
            int rangeNode = -1;
            FixedRange fixed;
            int sameAs = -1;

            Tensor(int id, int[] shape, BuiltinOperator producer, int producerNode) {
                this.id = id;
                this.shape = shape;
                this.producer = producer;
                this.producerNode = producerNode;
                this.valueNode = producerNode;
                this.nameNode = producerNode;
            }

            PlannedTensor freeze() {
                return new PlannedTensor(id, shape, producer, producerNode, valueNode, nameNode, rule,
                        rule == QuantRule.LEARNED || rule == QuantRule.CELL_STATE ? rangeNode : -1, fixed, sameAs);
            }
        }

        private static final class Op {
            final BuiltinOperator op;
            final int node;
            int[] inputs;
            final int output;
            Activation fused = Activation.NONE;

            Op(BuiltinOperator op, int node, int[] inputs, int output) {
                this.op = op;
                this.node = node;
                this.inputs = inputs;
                this.output = output;
            }
        }

        Builder(ModelSpec spec, Lowering lowering) {
            this.spec = spec;
            this.lowering = lowering;
            this.tensorOfNode = new int[spec.nodes().size()];
        }

        void lower() {
            for (LayerNode node : spec.nodes()) {
                int i = node.index();
                switch (lowering.role(i)) {
                    case INPUT -> {
                        Tensor t = newTensor(node.outputShape().withBatch(), null, i);
                        learned(t, i);
                        input = t.id;
                        tensorOfNode[i] = t.id;
                    }
                    case OP -> emit(node);
                    case FUSED, FOLDED -> {
                        Tensor t = tensors.get(tensorOfNode[lowering.source(i)]);
                        t.valueNode = i;
                        if (t.rule == QuantRule.LEARNED) {
                            t.rangeNode = i;
                        }
                        if (lowering.role(i) == Lowering.Role.FUSED) {
                            t.nameNode = i;
                        }
                        tensorOfNode[i] = t.id;
                    }
                    case ABSORBED, REMOVED -> tensorOfNode[i] = tensorOfNode[lowering.source(i)];
                }
            }
        }

        private void emit(LayerNode node) {
            int i = node.index();
            BuiltinOperator op = lowering.op(i);
            LayerSpec layer = node.layer();
            int[] in = node.inputs();
            int[] values = new int[in.length];
            for (int k = 0; k < in.length; k++) {
                values[k] = tensorOfNode[in[k]];
            }
            int[] shape = node.outputShape().withBatch();
            if (SequenceImage.isOneDimensional(layer)) {
                // conv1d, the 1-D poolings and MEAN run on the 4-D view [1, 1, steps, c]
                for (int k = 0; k < values.length; k++) {
                    values[k] = asView(values[k], i);
                }
                if (node.outputShape().rank() == 2) {
                    shape = view(node.outputShape());
                }
            } else if (readsSequence(op, node)) {
                for (int k = 0; k < values.length; k++) {
                    values[k] = asSequence(values[k], i);
                }
            } else if (keepsView(op) && node.outputShape().rank() == 2) {
                // elementwise on a sequence: stay on the view if every input is on it, else all leave it
                boolean allViews = true;
                for (int v : values) {
                    allViews &= isView(v);
                }
                for (int k = 0; k < values.length; k++) {
                    values[k] = allViews ? values[k] : asSequence(values[k], i);
                }
                if (allViews) {
                    shape = view(node.outputShape());
                }
            }
            Op emitted = emit(op, i, values, shape);
            if (shape.length == 4 && node.outputShape().rank() == 2) {
                viewTensors.add(emitted.output);
            }
            emitted.fused = fusedCode(lowering.fusedActivation(i));
            if (op == BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM) {
                addLstmStates(emitted, ((LayerSpec.Lstm) layer).units());
            }
        }

        /**
         * The LSTM's output state (operand 18, the output's parameters) and cell state (operand 19, its own int16
         * power-of-two rule), both {@code [batch, units]}: extra inputs of its operator after the sequence.
         */
        private void addLstmStates(Op lstm, int units) {
            Tensor output = tensors.get(lstm.output);
            Tensor outputState = newTensor(new int[] {1, units}, lstm.op, lstm.node);
            outputState.valueNode = -1;
            outputState.rule = QuantRule.SAME_AS_OUTPUT;
            outputState.sameAs = output.id;
            Tensor cellState = newTensor(new int[] {1, units}, lstm.op, lstm.node);
            cellState.valueNode = -1;
            cellState.rule = QuantRule.CELL_STATE;
            cellState.rangeNode = lstm.node;
            lstm.inputs = new int[] {lstm.inputs[0], outputState.id, cellState.id};
        }

        /** The 4-D view {@code [1, 1, steps, c]} of a sequence {@code [steps, c]}. */
        private static int[] view(Shape sequence) {
            return new int[] {1, 1, sequence.dim(0), sequence.dim(1)};
        }

        private boolean isView(int tensor) {
            return views.containsKey(tensor) || viewTensors.contains(tensor);
        }

        /** {@code tensor} on the 4-D view, through a RESHAPE inserted for node {@code reader} if needed. */
        private int asView(int tensor, int reader) {
            if (viewTensors.contains(tensor)) {
                return tensor;
            }
            Integer done = views.get(tensor);
            if (done != null) {
                return done;
            }
            int[] s = tensors.get(tensor).shape;
            int r = insertReshape(tensor, new int[] {1, 1, s[1], s[2]}, reader);
            views.put(tensor, r);
            viewTensors.add(r);
            return r;
        }

        /** {@code tensor} as the 3-D sequence {@code [1, steps, c]}, through a RESHAPE if it is on the view. */
        private int asSequence(int tensor, int reader) {
            if (!viewTensors.contains(tensor)) {
                return tensor;
            }
            Integer done = sequences.get(tensor);
            if (done != null) {
                return done;
            }
            int[] s = tensors.get(tensor).shape;
            int r = insertReshape(tensor, new int[] {1, s[2], s[3]}, reader);
            sequences.put(tensor, r);
            return r;
        }

        private int insertReshape(int source, int[] shape, int reader) {
            Tensor from = tensors.get(source);
            Tensor t = newTensor(shape, BuiltinOperator.RESHAPE, reader);
            t.valueNode = from.valueNode;
            t.nameNode = from.nameNode;
            t.rule = QuantRule.SAME_AS_INPUT;
            t.sameAs = source;
            ops.add(new Op(BuiltinOperator.RESHAPE, reader, new int[] {source}, t.id));
            return t.id;
        }

        /** The operators that read a sequence as {@code [1, steps, c]} (not the view). */
        private boolean readsSequence(BuiltinOperator op, LayerNode node) {
            if (op == BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM || op == BuiltinOperator.STRIDED_SLICE
                    || op == BuiltinOperator.PAD) {
                return true;
            }
            // dense per step keeps the steps; dense after an absorbed flatten and RESHAPE read any rank
            return op == BuiltinOperator.FULLY_CONNECTED && node.outputShape().rank() == 2;
        }

        /** Elementwise operators, which write the layout they read. */
        private static boolean keepsView(BuiltinOperator op) {
            return switch (op) {
                case RELU, RELU6, TANH, LOGISTIC, LEAKY_RELU, HARD_SWISH, ADD, CONCATENATION, SOFTMAX -> true;
                default -> false;
            };
        }

        /** A model output on the 4-D view goes back to the sequence the spec declares. */
        void restoreOutput() {
            int out = tensorOfNode[lowering.output()];
            if (viewTensors.contains(out)) {
                output = asSequence(out, lowering.output());
            } else {
                output = out;
            }
        }

        private Op emit(BuiltinOperator op, int node, int[] inputs, int[] shape) {
            Tensor out = newTensor(shape, op, node);
            FixedRange fixed = op == null ? null : fixedRangeOf(op);
            if (fixed != null) {
                out.rule = QuantRule.FIXED;
                out.fixed = fixed;
            } else if (op != null && passesThrough(op)) {
                out.rule = QuantRule.SAME_AS_INPUT;
                out.sameAs = inputs[0];
            } else {
                learned(out, node);
            }
            Op o = new Op(op, node, inputs, out.id);
            ops.add(o);
            tensorOfNode[node] = out.id;
            return o;
        }

        private Tensor newTensor(int[] shape, BuiltinOperator producer, int producerNode) {
            Tensor t = new Tensor(tensors.size(), shape, producer, producerNode);
            tensors.add(t);
            return t;
        }

        private static void learned(Tensor t, int rangeNode) {
            t.rule = QuantRule.LEARNED;
            t.rangeNode = rangeNode;
        }

        private static Activation fusedCode(ActivationKind kind) {
            if (kind == null) {
                return Activation.NONE;
            }
            return switch (kind) {
                case RELU -> Activation.RELU;
                case RELU6 -> Activation.RELU6;
                default -> throw new IllegalStateException(kind + " cannot be a fused activation");
            };
        }

        private int rootOf(int tensor) {
            int t = tensor;
            while (tensors.get(t).sameAs >= 0) {
                t = tensors.get(t).sameAs;
            }
            return t;
        }

        /** Gives every concatenation one scale on its inputs and output (see the class comment). */
        void unifyConcatenations() {
            boolean[] taken = new boolean[tensors.size()];
            for (int k = 0; k < ops.size(); k++) {
                Op concat = ops.get(k);
                if (concat.op != BuiltinOperator.CONCATENATION) {
                    continue;
                }
                int target = concat.output;
                taken = java.util.Arrays.copyOf(taken, tensors.size());
                taken[target] = true;
                int inserted = 0;
                for (int slot = 0; slot < concat.inputs.length; slot++) {
                    int root = rootOf(concat.inputs[slot]);
                    if (root == target) {
                        continue;
                    }
                    Tensor r = tensors.get(root);
                    if (r.rule == QuantRule.LEARNED && !taken[root]) {
                        r.rule = QuantRule.UNIFIED;
                        r.sameAs = target;
                        continue;
                    }
                    Tensor source = tensors.get(concat.inputs[slot]);
                    Tensor requantized = newTensor(source.shape, BuiltinOperator.QUANTIZE, concat.node);
                    requantized.valueNode = -1;
                    requantized.nameNode = source.nameNode;
                    requantized.rule = QuantRule.UNIFIED;
                    requantized.sameAs = target;
                    ops.add(k + inserted, new Op(BuiltinOperator.QUANTIZE, concat.node, new int[] {source.id},
                            requantized.id));
                    concat.inputs[slot] = requantized.id;
                    inserted++;
                }
                k += inserted;
            }
        }

        List<PlannedOp> frozenOps() {
            List<PlannedOp> out = new ArrayList<>();
            for (Op o : ops) {
                out.add(new PlannedOp(o.op, o.node, o.inputs, o.output, o.fused));
            }
            return out;
        }

        PlannedWeights[] weights() {
            int n = spec.nodes().size();
            boolean[] folded = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (lowering.role(i) == Lowering.Role.FOLDED) {
                    folded[lowering.into(i)] = true;
                }
            }
            PlannedWeights[] out = new PlannedWeights[n];
            for (int i = 0; i < n; i++) {
                LayerNode node = spec.node(i);
                out[i] = node.inputs().length != 1 ? null
                        : PlannedWeights.of(i, node.layer(), spec.node(node.input()).outputShape(), folded[i]);
            }
            return out;
        }
    }
}
