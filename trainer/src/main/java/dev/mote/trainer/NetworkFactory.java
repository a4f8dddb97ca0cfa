package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.SequenceImage;
import dev.mote.dsl.Shape;
import dev.mote.dsl.ValueRange;
import dev.mote.dsl.plan.PlannedTensor;
import dev.mote.dsl.plan.QuantRule;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.vocabulary.Padding;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link ModelSpec} into a DL4J network: a {@link MultiLayerNetwork} for chains, a
 * {@link ComputationGraph} when the model has Add/Concatenate nodes. One DL4J layer or vertex per node, named
 * after it; a loss layer at the end. Three flavours ({@link Mode}): the float training network, the folded
 * inference network (BatchNorm folded away, dropout removed) and the fake-quant network for QAT and int8
 * simulation.
 */
final class NetworkFactory {

    static final String INPUT = "input";
    static final String LOSS = "#loss";
    static final String FQ = "#fq";

    enum Mode {
        /** Float training: BatchNorm and Dropout layers as declared. */
        FLOAT_TRAINING,
        /** BatchNorm folded into the preceding layer, Dropout removed (weights from a {@link TrainedModel}). */
        FOLDED,
        /** FOLDED plus fake-quantized weights and activations. */
        FAKE_QUANT
    }

    /**
     * @param ranges   initial activation ranges per node (FAKE_QUANT; null entries start from the first batch)
     * @param emaDecay moving-average decay of activation ranges during QAT
     * @param cellStates FAKE_QUANT: initial cell-state range per LSTM node (null entries start from the first batch)
     */
    record Options(Mode mode, long seed, double learningRate, Loss loss, ValueRange[] ranges, double emaDecay,
                   ValueRange[] cellStates, dev.mote.vocabulary.TensorType activationType) {
        Options(Mode mode, long seed, double learningRate, Loss loss, ValueRange[] ranges, double emaDecay) {
            this(mode, seed, learningRate, loss, ranges, emaDecay, null);
        }

        /** int8 activations. */
        Options(Mode mode, long seed, double learningRate, Loss loss, ValueRange[] ranges, double emaDecay,
                ValueRange[] cellStates) {
            this(mode, seed, learningRate, loss, ranges, emaDecay, cellStates, dev.mote.vocabulary.TensorType.INT8);
        }

        static Options of(Mode mode, long seed, double learningRate, Loss loss) {
            return new Options(mode, seed, learningRate, loss, null, 0.99);
        }
    }

    /** One DL4J piece: a layer, a vertex or an input preprocessor, reading other steps by name. */
    private record Step(String name, Object piece, List<String> inputs) {
    }

    private final ModelSpec spec;
    private final Options options;
    private final TensorPlan plan;
    private final List<Step> steps = new ArrayList<>();
    private final String[] nodeStep;
    private final String[] nodeLayer;
    /** FAKE_QUANT: the range tracker of each parameter root of the plan, by tensor id (created on first use). */
    private final RangeTracker[] trackers;

    private NetworkFactory(ModelSpec spec, Options options) {
        this.spec = spec;
        this.options = options;
        this.plan = TensorPlan.of(spec);
        this.nodeStep = new String[spec.nodes().size()];
        this.nodeLayer = new String[spec.nodes().size()];
        this.trackers = new RangeTracker[plan.tensors().size()];
    }

    static SpecNetwork build(ModelSpec spec, Options options) {
        OneDnn.enableHelpers(); // DL4J creates a layer's helper when the network is initialized
        return new NetworkFactory(spec, options).build();
    }

    private SpecNetwork build() {
        Shape inShape = spec.inputShape();
        if (inShape.rank() < 1 || inShape.rank() > 3) {
            throw new UnsupportedLayerException(spec.node(0), "train on input shape " + inShape,
                    "it supports [features], [steps, features] and [height, width, channels] inputs: declare "
                    + "input(features), input(steps, features) or input(height, width, channels)");
        }
        if (spec.outputShape().rank() != 1) {
            throw new UnsupportedLayerException(spec.output(), "train on output shape " + spec.outputShape(),
                    spec.outputShape().rank() == 2
                            ? "it supports 1-D outputs: end a sequence with lastStep(), globalAvgPool1d() or flatten()"
                            + " and a dense layer"
                            : "it supports 1-D outputs: end with flatten() or globalAvgPool2d() and a dense layer");
        }
        nodeStep[0] = INPUT;
        boolean fakeQuant = options.mode() == Mode.FAKE_QUANT;
        if (fakeQuant) {
            placeFakeQuant(0);
        }
        boolean lossAdded = false;
        for (int i = 1; i < spec.nodes().size(); i++) {
            LayerNode node = spec.node(i);
            List<String> in = new ArrayList<>();
            for (int j : node.inputs()) {
                in.add(nodeStep[j]);
            }
            boolean last = i == spec.nodes().size() - 1;
            if (node.layer() instanceof LayerSpec.Lstm lstm) {
                addLstm(node, lstm, in.get(0));
                if (fakeQuant) {
                    placeFakeQuant(i);
                }
                continue;
            }
            Object piece = piece(node, last);
            if (piece instanceof ActivationLayer && fuseIntoPrevious(node)) {
                piece = null; // applied by the layer before it: nodeStep[i] now names that layer
            } else if (piece == null) {
                nodeStep[i] = in.get(0); // folded, removed or a no-op reshape
            } else {
                String name = piece instanceof LossLayer ? LOSS : node.name();
                steps.add(new Step(name, piece, in));
                nodeStep[i] = name;
                nodeLayer[i] = name;
                lossAdded |= piece instanceof LossLayer;
            }
            if (fakeQuant && !(piece instanceof LossLayer)) {
                placeFakeQuant(i);
            }
        }
        if (!lossAdded) {
            steps.add(new Step(LOSS, regressionLoss(), List.of(nodeStep[spec.nodes().size() - 1])));
        }
        return spec.isChain() ? buildMultiLayer() : buildGraph();
    }

    /**
     * Training networks (float and fake-quant) apply an activation inside the Dense or convolution layer it follows
     * instead of in an {@code ActivationLayer} of its own: the same arithmetic with one layer, one copy and one
     * backward step fewer per activation (a sixth of the Hello World MLP's per-step work). Only where nothing else
     * reads the pre-activation output: it must come straight from that layer (no fake-quant, pass-through or other
     * consumer in between). The folded network keeps every node's output separate, since calibration reads them all.
     * BatchNormalization is left alone: DL4J's batch norm layer ignores its activation function.
     *
     * @return true if {@code node} (an activation) now runs inside the previous layer
     */
    private boolean fuseIntoPrevious(LayerNode node) {
        if (options.mode() == Mode.FOLDED || node.inputs().length != 1 || steps.isEmpty()) {
            return false;
        }
        Step previous = steps.get(steps.size() - 1);
        if (!previous.name().equals(nodeStep[node.input()])
                || !(previous.piece() instanceof DenseLayer || previous.piece() instanceof ConvolutionLayer)) {
            return false; // DepthwiseConvolution2D is a ConvolutionLayer
        }
        org.deeplearning4j.nn.conf.layers.BaseLayer layer = (org.deeplearning4j.nn.conf.layers.BaseLayer) previous.piece();
        if (!(layer.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationIdentity)) {
            return false;
        }
        // every node whose output is that layer's output (the layer's own node, folded batch norms, no-op reshapes)
        // must feed only the next of them or this activation
        for (int k = 0; k < node.index(); k++) {
            if (!previous.name().equals(nodeStep[k])) {
                continue;
            }
            for (LayerNode consumer : spec.nodes()) {
                for (int input : consumer.inputs()) {
                    if (input == k && consumer.index() != node.index() && !previous.name().equals(nodeStep[consumer.index()])) {
                        return false;
                    }
                }
            }
        }
        layer.setActivationFn(activation((LayerSpec.Activation) node.layer()));
        nodeStep[node.index()] = previous.name();
        return true;
    }

    /**
     * Fake-quantizes node {@code node}'s output where the plan says it completes a tensor that requantizes, with the
     * tracker of that tensor's parameter root: its own (which observes), or the one it shares (a pass-through that
     * rounds on its input's grid, an input unified with a concatenation), which it does not move.
     */
    private void placeFakeQuant(int node) {
        PlannedTensor t = plan.fakeQuantized(node);
        if (t == null) {
            return;
        }
        PlannedTensor root = plan.paramsRoot(t);
        addFakeQuantStep(node, new FakeQuantActivation(node, trackerOf(root), root.id() == t.id()));
    }

    private RangeTracker trackerOf(PlannedTensor root) {
        if (trackers[root.id()] == null) {
            trackers[root.id()] = root.rule() == QuantRule.FIXED
                    ? options.activationType() == dev.mote.vocabulary.TensorType.INT16
                            ? RangeTracker.fixed(ValueRange.of(root.fixedRange()), root.fixedRange().int16(),
                                    options.activationType())
                            : RangeTracker.fixed(ValueRange.of(root.fixedRange()))
                    : RangeTracker.movingAverage(options.emaDecay(),
                    options.ranges() == null ? null : options.ranges()[root.rangeNode()], options.activationType());
        }
        return trackers[root.id()];
    }

    private void addFakeQuantStep(int node, FakeQuantActivation fq) {
        String name = spec.node(node).name() + FQ;
        ActivationLayer layer = new ActivationLayer.Builder().activation(fq).build();
        steps.add(new Step(name, layer, List.of(nodeStep[node])));
        nodeStep[node] = name;
    }

    /**
     * An LSTM: DL4J's {@link LSTM} (tanh cell input and output, sigmoid gates, no peepholes, forget-gate bias
     * initialized to 1 as Keras' {@code unit_forget_bias}) between preprocessors that move the sequence from the image
     * view to DL4J's RNN format and back. In FAKE_QUANT networks its eight gate matrices are fake-quantized per
     * tensor ({@link FakeQuantWeightNoise#lstm()}) and a {@link CellStateTap} before it tracks the cell state's range.
     */
    private void addLstm(LayerNode node, LayerSpec.Lstm lstm, String input) {
        Shape in = spec.node(node.input()).outputShape();
        int steps = in.dim(0);
        int features = in.dim(1);
        String source = input;
        if (options.mode() == Mode.FAKE_QUANT) {
            String tap = node.name() + "#cell";
            RangeTracker tracker = RangeTracker.movingAverage(options.emaDecay(),
                    options.cellStates() == null ? null : options.cellStates()[node.index()]);
            this.steps.add(new Step(tap, new ActivationLayer.Builder()
                    .activation(new CellStateTap(node.index(), lstm.units(), features, tracker)).build(),
                    List.of(source)));
            source = tap;
        }
        String rnn = node.name() + "#rnn";
        this.steps.add(new Step(rnn, new SequencePreProcessor(SequencePreProcessor.Kind.TO_RNN, steps, features),
                List.of(source)));
        LSTM.Builder b = new LSTM.Builder().nIn(features).nOut(lstm.units()).activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID).forgetGateBiasInit(1.0).dataFormat(RNNFormat.NCW);
        if (options.mode() == Mode.FAKE_QUANT) {
            b.weightNoise(FakeQuantWeightNoise.lstm());
        }
        this.steps.add(new Step(node.name(), b.build(), List.of(rnn)));
        String image = node.name() + "#seq";
        this.steps.add(new Step(image, new SequencePreProcessor(SequencePreProcessor.Kind.TO_IMAGE, steps,
                lstm.units()), List.of(node.name())));
        nodeStep[node.index()] = image;
        nodeLayer[node.index()] = node.name();
    }

    private Object piece(LayerNode node, boolean last) {
        // a 1-D layer is its 2-D equivalent on the sequence's image view [1, steps, c] (DL4J: [n, c, 1, steps])
        LayerSpec layer = SequenceImage.equivalent2d(node.layer());
        Shape in = node.index() == 0 ? null : spec.node(node.inputs()[0]).outputShape();
        if (in != null && in.rank() == 2 && SequenceImage.isOneDimensional(node.layer())) {
            in = SequenceImage.image(in);
        }
        boolean folded = options.mode() != Mode.FLOAT_TRAINING;
        boolean fakeQuant = options.mode() == Mode.FAKE_QUANT;
        if (layer instanceof LayerSpec.Dense d && in.rank() == 2) {
            // per step: a 1x1 convolution on the image view, weights [units, f, 1, 1] = TFLite FC's [units, f]
            ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(1, 1).convolutionMode(ConvolutionMode.Truncate)
                    .nIn(in.dim(1)).nOut(d.units()).hasBias(d.useBias() || folded).activation(Activation.IDENTITY);
            if (fakeQuant) {
                b.weightNoise(FakeQuantWeightNoise.of(plan.weights(node.index())));
            }
            return b.build();
        } else if (layer instanceof LayerSpec.LastStep) {
            return new SequencePreProcessor(SequencePreProcessor.Kind.LAST_STEP, in.dim(0), in.dim(1));
        } else if (layer instanceof LayerSpec.Dense d) {
            DenseLayer.Builder b = new DenseLayer.Builder().nIn(in.elementCount()).nOut(d.units())
                    .hasBias(d.useBias() || folded).activation(Activation.IDENTITY);
            if (fakeQuant) {
                b.weightNoise(FakeQuantWeightNoise.of(plan.weights(node.index())));
            }
            return b.build();
        } else if (layer instanceof LayerSpec.Conv2D c) {
            ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(c.kernelH(), c.kernelW())
                    .stride(c.strideH(), c.strideW()).dilation(c.dilationH(), c.dilationW())
                    .convolutionMode(mode(c.padding())).nIn(in.dim(2)).nOut(c.filters())
                    .hasBias(c.useBias() || folded).activation(Activation.IDENTITY);
            if (fakeQuant) {
                b.weightNoise(FakeQuantWeightNoise.of(plan.weights(node.index())));
            }
            return b.build();
        } else if (layer instanceof LayerSpec.Conv2DTranspose t) {
            // DL4J weights [in, out, kh, kw]; Same: out = in * stride, Truncate: (in - 1) * stride + k (Keras)
            org.deeplearning4j.nn.conf.layers.Deconvolution2D.Builder b =
                    new org.deeplearning4j.nn.conf.layers.Deconvolution2D.Builder(t.kernelH(), t.kernelW())
                            .stride(t.strideH(), t.strideW()).convolutionMode(mode(t.padding()))
                            .nIn(in.dim(2)).nOut(t.filters()).hasBias(t.useBias())
                            .activation(Activation.IDENTITY);
            if (fakeQuant) {
                b.weightNoise(new FakeQuantWeightNoise(FakeQuantWeightNoise.Granularity.PER_CHANNEL_SECOND));
            }
            return b.build();
        } else if (layer instanceof LayerSpec.DepthwiseConv2D d) {
            DepthwiseConvolution2D.Builder b = new DepthwiseConvolution2D.Builder(d.kernelH(), d.kernelW())
                    .stride(d.strideH(), d.strideW()).dilation(d.dilationH(), d.dilationW())
                    .depthMultiplier(d.depthMultiplier()).convolutionMode(mode(d.padding()))
                    .nIn(in.dim(2)).nOut((long) in.dim(2) * d.depthMultiplier())
                    .hasBias(d.useBias() || folded).activation(Activation.IDENTITY);
            if (fakeQuant) {
                b.weightNoise(FakeQuantWeightNoise.of(plan.weights(node.index())));
            }
            return b.build();
        } else if (layer instanceof LayerSpec.MaxPool2D p) {
            return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(p.poolH(), p.poolW())
                    .stride(p.strideH(), p.strideW()).convolutionMode(mode(p.padding())).build();
        } else if (layer instanceof LayerSpec.AvgPool2D p) {
            return new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(p.poolH(), p.poolW())
                    .stride(p.strideH(), p.strideW()).convolutionMode(mode(p.padding()))
                    .avgPoolIncludePadInDivisor(false).build();
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            return new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
        } else if (layer instanceof LayerSpec.Flatten) {
            return flattenImage(in);
        } else if (layer instanceof LayerSpec.Reshape r) {
            if (r.shape().equals(in)) {
                return null;
            }
            if (r.shape().rank() == 1) {
                return flattenImage(in);
            }
            if (in.rank() == 1 && TfliteLayout.flattenedImageBefore(spec, node.input()) != null) {
                throw new UnsupportedLayerException(node, "reshape a flattened feature map back to " + r.shape(),
                        "keep the image: drop the flatten and this reshape, or reshape before flattening");
            }
            // a sequence is its image view [1, steps, c] in DL4J
            return NhwcReshapePreProcessor.of(node, in.rank() == 2 ? SequenceImage.image(in) : in,
                    r.shape().rank() == 2 ? SequenceImage.image(r.shape()) : r.shape());
        } else if (layer instanceof LayerSpec.ZeroPad2D z) {
            return new ZeroPaddingLayer.Builder(z.top(), z.bottom(), z.left(), z.right()).build();
        } else if (layer instanceof LayerSpec.BatchNorm bn) {
            if (folded) {
                return null; // folded into the layer Lowering.into names (the DSL refuses batch norms it cannot fold)
            }
            long channels = in.dim(in.rank() - 1);
            return new BatchNormalization.Builder().eps(bn.epsilon()).decay(bn.momentum()).useLogStd(false)
                    .nIn(channels).nOut(channels).build();
        } else if (layer instanceof LayerSpec.Dropout d) {
            return folded ? null : new DropoutLayer.Builder(1.0 - d.rate()).build();
        } else if (layer instanceof LayerSpec.Activation a) {
            if (last) {
                LossFunctions.LossFunction classification = classificationLoss(a);
                if (classification != null) {
                    return new LossLayer.Builder(classification).activation(activation(a)).build();
                }
            }
            // In place is safe where no node's output but the last is read and the input is not the caller's array
            IActivation fn = options.mode() == Mode.FLOAT_TRAINING && node.input() != 0 ? activation(a)
                    : new OutOfPlaceActivation(activation(a));
            return new ActivationLayer.Builder().activation(fn).build();
        } else if (layer instanceof LayerSpec.Add) {
            return new ElementWiseVertex(ElementWiseVertex.Op.Add);
        } else if (layer instanceof LayerSpec.Concatenate) {
            return new MergeVertex();
        }
        throw new UnsupportedLayerException(node, "build a " + layer.getClass().getSimpleName() + " layer",
                "remove it from the model or train it elsewhere");
    }

    /**
     * DL4J's flatten of an image ({@code [c, h, w]} order) or of a sequence's image view ({@code [c, 1, steps]});
     * null for a 1-D input. {@link TfliteLayout#flattenedImageBefore} permutes the next Dense's weights to TFLite's
     * order.
     */
    private static CnnToFeedForwardPreProcessor flattenImage(Shape in) {
        if (in.rank() == 2) {
            return new CnnToFeedForwardPreProcessor(1, in.dim(0), in.dim(1));
        }
        return in.rank() == 3 ? new CnnToFeedForwardPreProcessor(in.dim(0), in.dim(1), in.dim(2)) : null;
    }

    private LossFunctions.LossFunction classificationLoss(LayerSpec.Activation a) {
        Loss loss = options.loss();
        if (loss != Loss.AUTO && loss != Loss.CROSS_ENTROPY) {
            return null;
        }
        return switch (a.kind()) {
            case SOFTMAX -> LossFunctions.LossFunction.MCXENT;
            case SIGMOID -> LossFunctions.LossFunction.XENT;
            default -> null;
        };
    }

    private LossLayer regressionLoss() {
        LossFunctions.LossFunction fn = switch (options.loss()) {
            case AUTO, MSE -> LossFunctions.LossFunction.MSE;
            case MAE -> LossFunctions.LossFunction.L1;
            case CROSS_ENTROPY -> throw new InvalidConfigurationException(
                    "cross-entropy needs a model that ends in a softmax or sigmoid activation");
        };
        return new LossLayer.Builder(fn).activation(Activation.IDENTITY).build();
    }

    static IActivation activation(LayerSpec.Activation a) {
        return switch (a.kind()) {
            case RELU -> Activation.RELU.getActivationFunction();
            case RELU6 -> Activation.RELU6.getActivationFunction();
            case TANH -> Activation.TANH.getActivationFunction();
            case SIGMOID -> Activation.SIGMOID.getActivationFunction();
            case SOFTMAX -> Activation.SOFTMAX.getActivationFunction();
            case LEAKY_RELU -> new ActivationLReLU(a.alpha());
            case HARD_SWISH -> new HardSwishActivation();
        };
    }

    private static ConvolutionMode mode(Padding padding) {
        return padding == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate;
    }

    private NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder()
                .seed(options.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(options.learningRate()))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.NONE); // custom activations copy their input
    }

    /** True if a step applies one of the trainer's own activation functions (not one of DL4J's). */
    private boolean hasCustomActivations() {
        for (Step step : steps) {
            IActivation fn = step.piece() instanceof ActivationLayer a ? a.getActivationFn()
                    : step.piece() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer l ? l.getActivationFn() : null;
            if (fn instanceof OutOfPlaceActivation || fn instanceof FakeQuantActivation
                    || fn instanceof HardSwishActivation || fn instanceof CellStateTap) {
                return true;
            }
        }
        return false;
    }

    private InputType inputType() {
        Shape s = spec.inputShape();
        if (s.rank() == 2) {
            return InputType.convolutional(1, s.dim(0), s.dim(1)); // the sequence's image view
        }
        return s.rank() == 3 ? InputType.convolutional(s.dim(0), s.dim(1), s.dim(2))
                : InputType.feedForward(s.dim(0));
    }

    private SpecNetwork buildMultiLayer() {
        // Inference in workspaces where DL4J allows it: without, every forward pass allocates and frees each
        // activation natively (the Fashion CNN's inference: 8× the CPU time, 85 ms instead of 10 ms a batch of 128).
        // Networks with Mote's own activations (out-of-place copies, fake quantization, hard-swish) keep NONE: their
        // results fail DL4J's inference workspace validation.
        NeuralNetConfiguration.ListBuilder list = base()
                .inferenceWorkspaceMode(hasCustomActivations() ? WorkspaceMode.NONE : WorkspaceMode.ENABLED).list();
        Map<String, Integer> activationIndex = new LinkedHashMap<>();
        Map<String, List<InputPreProcessor>> preprocessors = new LinkedHashMap<>();
        activationIndex.put(INPUT, 0);
        List<InputPreProcessor> pending = new ArrayList<>();
        int layerIndex = 0;
        for (Step step : steps) {
            if (step.piece() instanceof InputPreProcessor p) {
                pending.add(p);
                activationIndex.put(step.name(), activationIndex.get(step.inputs().get(0)));
                preprocessors.put(step.name(), new ArrayList<>(pending));
                continue;
            }
            list.layer(layerIndex, (Layer) step.piece());
            if (!pending.isEmpty()) {
                list.inputPreProcessor(layerIndex, pending.size() == 1 ? pending.get(0)
                        : new ComposableInputPreProcessor(pending.toArray(new InputPreProcessor[0])));
                pending.clear();
            }
            activationIndex.put(step.name(), layerIndex + 1);
            layerIndex++;
        }
        MultiLayerConfiguration conf = list.setInputType(inputType()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return SpecNetwork.of(spec, net, nodeStep, nodeLayer, activationIndex, preprocessors).bindCellStateTaps();
    }

    private SpecNetwork buildGraph() {
        // Graphs train without workspaces: with workspaces, a DL4J M2.1 ComputationGraph's inference output after
        // training came back in a closed workspace ("leaked workspace pointer"; seen with the residual test graph).
        ComputationGraphConfiguration.GraphBuilder g = base().trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder().addInputs(INPUT)
                .setInputTypes(inputType());
        for (Step step : steps) {
            String[] inputs = step.inputs().toArray(new String[0]);
            if (step.piece() instanceof InputPreProcessor p) {
                g.addVertex(step.name(), new PreprocessorVertex(p), inputs);
            } else if (step.piece() instanceof GraphVertex v) {
                g.addVertex(step.name(), v, inputs);
            } else {
                g.addLayer(step.name(), (Layer) step.piece(), inputs);
            }
        }
        g.setOutputs(LOSS);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return SpecNetwork.of(spec, net, nodeStep, nodeLayer, null, Map.of()).bindCellStateTaps();
    }
}
