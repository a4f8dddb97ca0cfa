package dev.mote.dsl;

import dev.mote.dsl.InvalidModelSpecException.Rule;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Padding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape inference and every declaration rule, applied node by node in topological order. The first broken rule
 * is thrown as an {@link InvalidModelSpecException} naming the node.
 */
final class SpecChecker {
    /** TFLM's CONCATENATION takes at most this many inputs ({@code kMaxInputNum}). */
    static final int TFLM_MAX_CONCAT_INPUTS = 10;
    /** Largest |int8 input - zero point| (255) times largest |int8 symmetric weight| (127). */
    static final long WORST_PRODUCT = 255L * 127L;
    /** Accumulation depth above which an int32 accumulator can overflow in the worst case (66,311). */
    static final long MAX_ACCUMULATION_DEPTH = Integer.MAX_VALUE / WORST_PRODUCT;
    /** Elements an int8 average can sum in int32 in the worst case (8,421,504). */
    static final long MAX_AVERAGED_ELEMENTS = Integer.MAX_VALUE / 255L;
    /** Largest tensor rank without the batch dimension (TFLM kernels take up to 4-D tensors with batch). */
    static final int MAX_RANK = 3;

    private final String model;
    private final List<Draft> drafts;
    private final Shape[] shapes;
    private final int[] consumers;
    private long flashBytes;

    private SpecChecker(String model, List<Draft> drafts) {
        this.model = model;
        this.drafts = drafts;
        this.shapes = new Shape[drafts.size()];
        int[][] inputs = new int[drafts.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = drafts.get(i).inputs();
        }
        this.consumers = Lowering.consumerCounts(inputs);
    }

    /** Checks a draft model and returns its nodes with inferred shapes; the last draft is the output. */
    static List<LayerNode> check(String model, List<Draft> drafts) {
        return new SpecChecker(model, drafts).run();
    }

    private List<LayerNode> run() {
        if (model == null || model.isBlank()) {
            throw new InvalidModelSpecException(-1, String.valueOf(model), null, Rule.GRAPH_STRUCTURE,
                    "the model needs a non-blank name", "it names the exported tensors and the C array");
        }
        if (drafts.isEmpty()) {
            throw new InvalidModelSpecException(-1, model, null, Rule.GRAPH_STRUCTURE, "the model has no layers",
                    "start with input(..)");
        }
        Map<String, Integer> names = new HashMap<>();
        List<LayerNode> nodes = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            checkName(i, d, names);
            checkWiring(i, d);
            shapes[i] = infer(i, d);
            checkSizes(i, d);
            checkOp(i, d);
            checkPlacement(i, d);
            nodes.add(new LayerNode(i, d.name(), d.layer(), d.inputs(), shapes[i]));
        }
        checkEveryNodeReachesOutput();
        checkHasOperator();
        return nodes;
    }

    // ---- structure -------------------------------------------------------------------------------------------

    private void checkName(int i, Draft d, Map<String, Integer> names) {
        if (d.layer() == null) {
            throw fail(i, Rule.GRAPH_STRUCTURE, "has no layer", null);
        }
        if (d.name() == null || d.name().isBlank()) {
            throw fail(i, Rule.GRAPH_STRUCTURE, "needs a non-blank name", "name it with named(..)");
        }
        Integer previous = names.putIfAbsent(d.name(), i);
        if (previous != null) {
            throw fail(i, Rule.GRAPH_STRUCTURE, "has the same name as layer " + previous,
                    "layer names must be unique");
        }
    }

    private void checkWiring(int i, Draft d) {
        int[] in = d.inputs();
        boolean isInput = d.layer() instanceof LayerSpec.Input;
        if (i == 0 && !isInput) {
            throw fail(i, Rule.GRAPH_STRUCTURE, "the first layer must be the input", "start with input(..)");
        }
        if (i > 0 && isInput) {
            throw fail(i, Rule.GRAPH_STRUCTURE, "a second input; the model has one input, layer 0", null);
        }
        for (int p : in) {
            if (p < 0 || p >= i) {
                throw fail(i, Rule.GRAPH_STRUCTURE, "reads layer " + p + ", which is not declared before it",
                        "layers must be listed in topological order");
            }
        }
        int expected;
        if (isInput) {
            expected = 0;
        } else if (d.layer() instanceof LayerSpec.Add) {
            expected = 2;
        } else if (d.layer() instanceof LayerSpec.Concatenate) {
            if (in.length < 2) {
                throw fail(i, Rule.GRAPH_STRUCTURE, "concatenates " + in.length + " input(s), needs at least 2",
                        null);
            }
            if (in.length > TFLM_MAX_CONCAT_INPUTS) {
                throw fail(i, Rule.UNSUPPORTED_BY_TFLM, "concatenates " + in.length + " inputs; TFLM's "
                        + "CONCATENATION takes at most " + TFLM_MAX_CONCAT_INPUTS,
                        "concatenate in groups of at most " + TFLM_MAX_CONCAT_INPUTS);
            }
            return;
        } else {
            expected = 1;
        }
        if (in.length != expected) {
            throw fail(i, Rule.GRAPH_STRUCTURE, "has " + in.length + " input(s), expected " + expected,
                    expected == 2 ? "ADD is binary: nest add(add(a, b), c) for more" : null);
        }
    }

    private void checkEveryNodeReachesOutput() {
        int last = drafts.size() - 1;
        boolean[] used = new boolean[drafts.size()];
        used[last] = true;
        for (int i = last; i >= 0; i--) {
            if (used[i]) {
                for (int p : drafts.get(i).inputs()) {
                    used[p] = true;
                }
            }
        }
        for (int i = 0; i < last; i++) {
            if (!used[i]) {
                throw fail(i, Rule.GRAPH_STRUCTURE, "does not lead to the output '" + drafts.get(last).name() + "'",
                        "every layer call returns a new handle: keep chaining from the handle it returns, or join "
                                + "the branch with add(..) / concatenate(..)");
            }
        }
    }

    private void checkHasOperator() {
        for (Draft d : drafts) {
            if (!(d.layer() instanceof LayerSpec.Input) && !(d.layer() instanceof LayerSpec.Dropout)) {
                return;
            }
        }
        throw new InvalidModelSpecException(-1, model, null, Rule.GRAPH_STRUCTURE,
                "the model has no layer that becomes a TFLite operator", "add at least one layer after input(..)");
    }

    // ---- shape inference ---------------------------------------------------------------------------------------

    private Shape infer(int i, Draft d) {
        LayerSpec layer = d.layer();
        if (layer instanceof LayerSpec.Input input) {
            return inferInput(i, input);
        }
        Shape in = shapes[d.inputs()[0]];
        if (layer instanceof LayerSpec.Dense dense) {
            positive(i, "units", dense.units());
            if (in.rank() == 2) {
                return Shape.of(in.dim(0), dense.units());
            }
            rank(i, in, 1, "flatten() or globalAvgPool2d() first");
            return Shape.of(dense.units());
        } else if (SequenceImage.isOneDimensional(layer)) {
            return inferOneDimensional(i, layer, in);
        } else if (layer instanceof LayerSpec.Lstm lstm) {
            positive(i, "units", lstm.units());
            rank(i, in, 2, "an LSTM reads a sequence [steps, features]; declare input(steps, features) or "
                    + "reshape(steps, features) first");
            return Shape.of(in.dim(0), lstm.units());
        } else if (layer instanceof LayerSpec.LastStep) {
            rank(i, in, 2, "lastStep() takes the last step of a sequence [steps, features]");
            return Shape.of(in.dim(1));
        } else if (layer instanceof LayerSpec.Conv2D c) {
            positive(i, "filters", c.filters());
            return infer2d(i, c, in);
        } else if (layer instanceof LayerSpec.Conv2DTranspose c) {
            return inferTranspose(i, c, in);
        } else if (layer instanceof LayerSpec.DepthwiseConv2D c) {
            positive(i, "depth multiplier", c.depthMultiplier());
            window(i, in, "kernel", c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(), c.dilationH(),
                    c.dilationW());
            long channels = (long) in.dim(2) * c.depthMultiplier();
            return Shape.of(outH(in, c.kernelH(), c.strideH(), c.padding(), c.dilationH()),
                    outW(in, c.kernelW(), c.strideW(), c.padding(), c.dilationW()), toInt(i, channels, "channels"));
        } else if (layer instanceof LayerSpec.MaxPool2D || layer instanceof LayerSpec.AvgPool2D) {
            return infer2d(i, layer, in);
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            rank(i, in, 3, "globalAvgPool2d() averages an image [height, width, channels]");
            return Shape.of(in.dim(2));
        } else if (layer instanceof LayerSpec.Flatten) {
            return Shape.of(toInt(i, elements(in), "flattened size"));
        } else if (layer instanceof LayerSpec.Reshape r) {
            return inferReshape(i, r, in);
        } else if (layer instanceof LayerSpec.ZeroPad2D p) {
            nonNegative(i, "top padding", p.top());
            nonNegative(i, "bottom padding", p.bottom());
            nonNegative(i, "left padding", p.left());
            nonNegative(i, "right padding", p.right());
            rank(i, in, 3, "zeroPad2d(..) pads an image [height, width, channels]");
            return Shape.of(toInt(i, (long) in.dim(0) + p.top() + p.bottom(), "padded height"),
                    toInt(i, (long) in.dim(1) + p.left() + p.right(), "padded width"), in.dim(2));
        } else if (layer instanceof LayerSpec.BatchNorm bn) {
            if (!(bn.epsilon() > 0) || Double.isInfinite(bn.epsilon())) {
                throw fail(i, Rule.OUT_OF_RANGE, "epsilon must be a finite value > 0, got " + bn.epsilon(), null);
            }
            if (!(bn.momentum() >= 0 && bn.momentum() <= 1)) {
                throw fail(i, Rule.OUT_OF_RANGE, "momentum must be in [0, 1], got " + bn.momentum(), null);
            }
            return in;
        } else if (layer instanceof LayerSpec.Dropout dropout) {
            if (!(dropout.rate() >= 0 && dropout.rate() < 1)) {
                throw fail(i, Rule.OUT_OF_RANGE, "dropout rate must be in [0, 1), got " + dropout.rate(), null);
            }
            return in;
        } else if (layer instanceof LayerSpec.Activation a) {
            return inferActivation(i, a, in);
        } else if (layer instanceof LayerSpec.Add) {
            Shape other = shapes[d.inputs()[1]];
            if (!in.equals(other)) {
                throw fail(i, Rule.SHAPE_MISMATCH, "adds " + describe(d.inputs()[0]) + " of shape " + in + " and "
                        + describe(d.inputs()[1]) + " of shape " + other + "; add needs equal shapes", null);
            }
            return in;
        } else if (layer instanceof LayerSpec.Concatenate) {
            return inferConcatenate(i, d);
        }
        throw fail(i, Rule.UNSUPPORTED_BY_TFLM, "unknown layer " + layer, null);
    }

    /**
     * A 1-D layer: checked in 1-D words first (rank, window against the steps), then as its 2-D equivalent on the
     * image view ({@link SequenceImage}), whose output is the sequence's.
     */
    private Shape inferOneDimensional(int i, LayerSpec layer, Shape in) {
        rank(i, in, 2, "1-D layers read a sequence [steps, channels]; declare input(steps, channels) or "
                + "reshape(steps, channels) first");
        if (layer instanceof LayerSpec.GlobalAvgPool1D) {
            return Shape.of(in.dim(1));
        }
        int window;
        int stride;
        int dilation;
        Padding padding;
        String what;
        if (layer instanceof LayerSpec.Conv1D c) {
            positive(i, "filters", c.filters());
            window = c.kernel();
            stride = c.stride();
            dilation = c.dilation();
            padding = c.padding();
            what = "kernel";
        } else if (layer instanceof LayerSpec.MaxPool1D p) {
            window = p.pool();
            stride = p.stride();
            dilation = 1;
            padding = p.padding();
            what = "pool window";
        } else {
            LayerSpec.AvgPool1D p = (LayerSpec.AvgPool1D) layer;
            window = p.pool();
            stride = p.stride();
            dilation = 1;
            padding = p.padding();
            what = "pool window";
        }
        positive(i, what + " length", window);
        positive(i, "stride", stride);
        positive(i, "dilation", dilation);
        long effective = Windows.effectiveKernel(window, dilation);
        if (padding == Padding.VALID && effective > in.dim(0)) {
            String dilated = dilation > 1 ? " (dilated to " + effective + ")" : "";
            throw fail(i, Rule.KERNEL_LARGER_THAN_INPUT, what + " of " + window + " steps" + dilated + " is longer "
                    + "than its input of " + in.dim(0) + " steps with VALID padding, so the output would have no steps",
                    "use padding(Padding.SAME) or a shorter " + what);
        }
        Shape out = infer2d(i, SequenceImage.equivalent2d(layer), SequenceImage.image(in));
        return SequenceImage.sequence(out);
    }

    /** Keras Conv2DTranspose: VALID {@code (in - 1) * stride + kernel}, SAME {@code in * stride}. */
    private Shape inferTranspose(int i, LayerSpec.Conv2DTranspose c, Shape in) {
        positive(i, "filters", c.filters());
        positive(i, "kernel height", c.kernelH());
        positive(i, "kernel width", c.kernelW());
        positive(i, "stride height", c.strideH());
        positive(i, "stride width", c.strideW());
        rank(i, in, 3, "conv2dTranspose(..) reads an image [height, width, channels]");
        long h = c.padding() == Padding.SAME ? (long) in.dim(0) * c.strideH()
                : (long) (in.dim(0) - 1) * c.strideH() + c.kernelH();
        long w = c.padding() == Padding.SAME ? (long) in.dim(1) * c.strideW()
                : (long) (in.dim(1) - 1) * c.strideW() + c.kernelW();
        return Shape.of(toInt(i, h, "output height"), toInt(i, w, "output width"), c.filters());
    }

    /** The output shape of a 2-D layer on an image (the 1-D layers' equivalents). */
    private Shape infer2d(int i, LayerSpec layer, Shape in) {
        if (layer instanceof LayerSpec.Conv2D c) {
            window(i, in, "kernel", c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(), c.dilationH(),
                    c.dilationW());
            return Shape.of(outH(in, c.kernelH(), c.strideH(), c.padding(), c.dilationH()),
                    outW(in, c.kernelW(), c.strideW(), c.padding(), c.dilationW()), c.filters());
        } else if (layer instanceof LayerSpec.MaxPool2D p) {
            window(i, in, "pool window", p.poolH(), p.poolW(), p.strideH(), p.strideW(), p.padding(), 1, 1);
            return Shape.of(outH(in, p.poolH(), p.strideH(), p.padding(), 1),
                    outW(in, p.poolW(), p.strideW(), p.padding(), 1), in.dim(2));
        }
        LayerSpec.AvgPool2D p = (LayerSpec.AvgPool2D) layer;
        window(i, in, "pool window", p.poolH(), p.poolW(), p.strideH(), p.strideW(), p.padding(), 1, 1);
        return Shape.of(outH(in, p.poolH(), p.strideH(), p.padding(), 1),
                outW(in, p.poolW(), p.strideW(), p.padding(), 1), in.dim(2));
    }

    private Shape inferInput(int i, LayerSpec.Input input) {
        Shape s = input.shape();
        if (s == null || s.rank() == 0) {
            throw fail(i, Rule.NON_POSITIVE_SIZE, "the input needs 1 to 3 dimensions", null);
        }
        if (s.rank() > MAX_RANK) {
            throw fail(i, Rule.UNSUPPORTED_BY_TFLM, "input of rank " + s.rank() + " " + s + "; TFLM kernels take "
                    + "at most 4-D tensors, i.e. 3 dimensions besides the batch", null);
        }
        for (int k = 0; k < s.rank(); k++) {
            positive(i, "input dimension " + k, s.dim(k));
        }
        return s;
    }

    private Shape inferReshape(int i, LayerSpec.Reshape r, Shape in) {
        Shape target = r.shape();
        if (target == null || target.rank() == 0) {
            throw fail(i, Rule.NON_POSITIVE_SIZE, "reshape needs 1 to 3 dimensions", null);
        }
        for (int k = 0; k < target.rank(); k++) {
            positive(i, "reshape dimension " + k, target.dim(k));
        }
        if (target.rank() > MAX_RANK) {
            throw fail(i, Rule.UNSUPPORTED_BY_TFLM, "reshape to rank " + target.rank() + " " + target + "; TFLM "
                    + "kernels take at most 4-D tensors, i.e. 3 dimensions besides the batch", null);
        }
        if (elements(target) != elements(in)) {
            throw fail(i, Rule.SHAPE_MISMATCH, "reshapes " + in + " (" + elements(in) + " elements) to " + target
                    + " (" + elements(target) + " elements)", "the element counts must be equal");
        }
        return target;
    }

    private Shape inferActivation(int i, LayerSpec.Activation a, Shape in) {
        if (a.kind() == null) {
            throw fail(i, Rule.UNSUPPORTED_BY_TFLM, "activation without a kind", null);
        }
        if (a.kind() == ActivationKind.LEAKY_RELU) {
            if (!(a.alpha() >= 0) || Float.isInfinite(a.alpha())) {
                throw fail(i, Rule.OUT_OF_RANGE, "leakyRelu alpha must be a finite value >= 0, got " + a.alpha(),
                        null);
            }
        } else if (a.alpha() != 0f) {
            throw fail(i, Rule.OUT_OF_RANGE, "alpha " + a.alpha() + " only applies to LEAKY_RELU", null);
        }
        if (a.kind() == ActivationKind.SOFTMAX && in.rank() != 1) {
            throw fail(i, Rule.SOFTMAX_PLACEMENT, "softmax over " + in + "; softmax is only allowed on a 1-D "
                    + "tail", "flatten() or globalAvgPool2d(), then dense(classes).softmax()");
        }
        return in;
    }

    private Shape inferConcatenate(int i, Draft d) {
        int[] in = d.inputs();
        Shape first = shapes[in[0]];
        long axis = 0;
        for (int p : in) {
            Shape s = shapes[p];
            boolean same = s.rank() == first.rank();
            for (int k = 0; same && k < s.rank() - 1; k++) {
                same = s.dim(k) == first.dim(k);
            }
            if (!same) {
                throw fail(i, Rule.SHAPE_MISMATCH, "concatenates " + describe(in[0]) + " of shape " + first + " and "
                        + describe(p) + " of shape " + s, "all dimensions but the last (channels / features) must "
                        + "be equal");
            }
            axis += s.dim(s.rank() - 1);
        }
        int[] dims = first.dims();
        dims[dims.length - 1] = toInt(i, axis, "concatenated size");
        return Shape.of(dims);
    }

    /** Checks a sliding window (kernel or pool) over an image input: sizes, strides, dilations and fit. */
    private void window(int i, Shape in, String what, int kh, int kw, int sh, int sw, Padding padding, int dh,
                        int dw) {
        positive(i, what + " height", kh);
        positive(i, what + " width", kw);
        positive(i, "stride height", sh);
        positive(i, "stride width", sw);
        positive(i, "dilation height", dh);
        positive(i, "dilation width", dw);
        if (padding == null) {
            throw fail(i, Rule.OUT_OF_RANGE, "padding must be Padding.SAME or Padding.VALID, got null", null);
        }
        if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
            throw fail(i, Rule.UNSUPPORTED_STRIDE_DILATION, "stride " + sh + "x" + sw + " together with dilation "
                    + dh + "x" + dw + "; TensorFlow and the TFLite converter require stride 1 when dilation > 1",
                    "use stride 1 with the dilation, then downsample with a pooling layer or a strided layer");
        }
        rank(i, in, 3, "2-D layers need an image [height, width, channels]; reshape(h, w, c) first");
        long effH = Windows.effectiveKernel(kh, dh);
        long effW = Windows.effectiveKernel(kw, dw);
        if (padding == Padding.VALID && (effH > in.dim(0) || effW > in.dim(1))) {
            String dilated = dh > 1 || dw > 1 ? " (dilated to " + effH + "x" + effW + ")" : "";
            throw fail(i, Rule.KERNEL_LARGER_THAN_INPUT, what + " " + kh + "x" + kw + dilated + " is larger than its "
                    + "input " + in.dim(0) + "x" + in.dim(1) + " with VALID padding, so the output would collapse "
                    + "to zero", "use padding(Padding.SAME), a smaller " + what + " or zeroPad2d(..) first");
        }
    }

    private static int outH(Shape in, int k, int s, Padding p, int d) {
        return (int) Windows.outputSize(p, in.dim(0), k, s, d);
    }

    private static int outW(Shape in, int k, int s, Padding p, int d) {
        return (int) Windows.outputSize(p, in.dim(1), k, s, d);
    }

    // ---- sizes -----------------------------------------------------------------------------------------------

    private void checkSizes(int i, Draft d) {
        long activation = elements(shapes[i]);
        if (activation > Integer.MAX_VALUE) {
            throw fail(i, Rule.INT32_OVERFLOW, "output " + shapes[i] + " has " + activation + " elements, more than "
                    + "a TFLite tensor can hold (int32 sizes)", null);
        }
        LayerSpec layer = d.layer();
        if (layer instanceof LayerSpec.Input) {
            return;
        }
        Shape in = shapes[d.inputs()[0]];
        long weights = Params.weightCount(layer, in);
        if (weights > Integer.MAX_VALUE) {
            throw fail(i, Rule.INT32_OVERFLOW, "has " + weights + " weights, more than a TFLite tensor can hold "
                    + "(int32 sizes)", null);
        }
        long depth = Params.accumulationDepth(layer, in);
        if (depth > MAX_ACCUMULATION_DEPTH) {
            throw fail(i, Rule.INT32_OVERFLOW, "sums " + depth + " int8 products per output; above "
                    + MAX_ACCUMULATION_DEPTH + " the int32 accumulator of TFLM's kernel can overflow (255 x 127 per "
                    + "product)", "split the layer or reduce its input first");
        }
        long averaged = Params.averagedElements(layer, in);
        if (averaged > MAX_AVERAGED_ELEMENTS) {
            throw fail(i, Rule.INT32_OVERFLOW, "averages " + averaged + " int8 values per output; above "
                    + MAX_AVERAGED_ELEMENTS + " the int32 sum of TFLM's kernel can overflow", "pool in stages");
        }
        flashBytes += Params.flashBytes(layer, in, biasFolded(i));
        if (flashBytes > Integer.MAX_VALUE) {
            throw fail(i, Rule.INT32_OVERFLOW, "brings the int8 weights and int32 biases to " + flashBytes
                    + " bytes, beyond the 2 GiB a FlatBuffer (.tflite) can hold", null);
        }
    }

    /** True if node i is a linear layer without bias followed by a batch norm (folding gives it a bias). */
    private boolean biasFolded(int i) {
        for (int j = i + 1; j < drafts.size(); j++) {
            Draft d = drafts.get(j);
            if (d.layer() instanceof LayerSpec.BatchNorm && d.inputs().length == 1 && d.inputs()[0] == i) {
                return true;
            }
        }
        return false;
    }

    // ---- TFLM support and placement ------------------------------------------------------------------------------

    private void checkOp(int i, Draft d) {
        BuiltinOperator op = Lowering.opOf(d.layer());
        if (op != null && !Lowering.TFLM_INT8.contains(op)) {
            throw fail(i, Rule.UNSUPPORTED_BY_TFLM, "becomes " + op + ", which TFLM has no int8 kernel for", null);
        }
    }

    private void checkPlacement(int i, Draft d) {
        LayerSpec layer = d.layer();
        if (layer instanceof LayerSpec.Activation a && a.kind() == ActivationKind.SOFTMAX && i != drafts.size() - 1) {
            throw fail(i, Rule.SOFTMAX_PLACEMENT, "softmax is not the output ('" + firstReader(i) + "' reads it); "
                    + "softmax is only allowed as the last layer (the int8 SOFTMAX output has the fixed scale 1/256 "
                    + "of probabilities)", "move softmax to the end, or drop it and train on logits");
        }
        if (layer instanceof LayerSpec.BatchNorm) {
            int p = d.inputs()[0];
            LayerSpec before = drafts.get(p).layer();
            if (!(before instanceof LayerSpec.Dense || before instanceof LayerSpec.Conv2D
                    || before instanceof LayerSpec.DepthwiseConv2D || before instanceof LayerSpec.Conv1D)) {
                throw fail(i, Rule.BATCH_NORM_PLACEMENT, "batchNorm follows " + describe(p) + "; it must directly "
                        + "follow conv1d, conv2d, depthwiseConv2d or dense, whose weights it is folded into at export",
                        "move it right after the linear layer");
            }
            if (consumers[p] != 1) {
                throw fail(i, Rule.BATCH_NORM_PLACEMENT, "batchNorm folds into " + describe(p) + ", which "
                        + consumers[p] + " layers read; folding would change what the others see",
                        "branch after the batchNorm instead");
            }
        }
    }

    private String firstReader(int node) {
        for (int j = node + 1; j < drafts.size(); j++) {
            for (int p : drafts.get(j).inputs()) {
                if (p == node) {
                    return drafts.get(j).name();
                }
            }
        }
        return "nothing";
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void positive(int i, String what, int value) {
        if (value <= 0) {
            throw fail(i, Rule.NON_POSITIVE_SIZE, what + " must be >= 1, got " + value, null);
        }
    }

    private void nonNegative(int i, String what, int value) {
        if (value < 0) {
            throw fail(i, Rule.OUT_OF_RANGE, what + " must be >= 0, got " + value, null);
        }
    }

    private void rank(int i, Shape in, int expected, String advice) {
        if (in.rank() != expected) {
            throw fail(i, Rule.INPUT_RANK, "needs a " + expected + "-D input, got " + in + " from "
                    + describe(drafts.get(i).inputs()[0]), advice);
        }
    }

    private int toInt(int i, long value, String what) {
        if (value > Integer.MAX_VALUE) {
            throw fail(i, Rule.INT32_OVERFLOW, what + " " + value + " exceeds the int32 range of TFLite shapes", null);
        }
        return (int) value;
    }

    /** Elements of a shape, saturating at Long.MAX_VALUE. */
    static long elements(Shape s) {
        long n = 1;
        for (int k = 0; k < s.rank(); k++) {
            n = Params.saturatingMultiply(n, s.dim(k));
        }
        return n;
    }

    private String describe(int node) {
        Draft d = drafts.get(node);
        return "layer " + node + " '" + d.name() + "' (" + LayerNames.type(d.layer()) + ")";
    }

    private InvalidModelSpecException fail(int i, Rule rule, String problem, String advice) {
        Draft d = drafts.get(i);
        return new InvalidModelSpecException(i, d.name(), LayerNames.type(d.layer()), rule, problem, advice);
    }
}
