package dev.mote.dsl;

import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;

/**
 * Test stand-in for the exporter: writes the int8 TFLite graph a spec lowers to (one operator per
 * {@link Lowering.Role#OP} node, the tensors and constant buffers the TFLite converter would write) with zero
 * weights and placeholder quantization. Only the graph and the tensor shapes matter here: the tests compare it with
 * the graphs the TFLite converter wrote (the exporter module has the real export).
 */
final class PlaceholderTflite {
    private static final Quantization ACTIVATION = Quantization.perTensor(0.05f, 0);
    private static final Quantization PROBABILITY = Quantization.perTensor(1f / 256, -128);
    private static final Quantization TANH = Quantization.perTensor(1f / 128, 0);
    private static final float WEIGHT_SCALE = 0.01f;

    private final ModelSpec spec;
    private final Lowering lowering;
    private final ModelBuilder b = new ModelBuilder();
    private final int[] tensor;
    private final Quantization[] quant;

    private PlaceholderTflite(ModelSpec spec) {
        this.spec = spec;
        this.lowering = Lowering.of(spec);
        this.tensor = new int[spec.nodes().size()];
        this.quant = new Quantization[spec.nodes().size()];
    }

    static byte[] export(ModelSpec spec) {
        return new PlaceholderTflite(spec).write();
    }

    private byte[] write() {
        for (LayerNode node : spec.nodes()) {
            int i = node.index();
            if (lowering.role(i) == Lowering.Role.INPUT) {
                quant[i] = ACTIVATION;
                tensor[i] = b.addInput(node.name(), TensorType.INT8, node.outputShape().withBatch(), ACTIVATION);
            } else if (lowering.role(i) == Lowering.Role.OP) {
                emit(node);
            }
        }
        b.addOutput(tensor[lowering.source(spec.nodes().size() - 1)]);
        return b.toBytes();
    }

    private void emit(LayerNode node) {
        int i = node.index();
        BuiltinOperator op = lowering.op(i);
        int[] from = node.inputs();
        int[] in = new int[from.length];
        for (int k = 0; k < from.length; k++) {
            in[k] = tensor[lowering.source(from[k])];
        }
        Quantization inQ = quant[lowering.source(from[0])];
        Shape inShape = spec.node(from[0]).outputShape();
        Quantization outQ = switch (op) {
            case SOFTMAX, LOGISTIC -> PROBABILITY;
            case TANH -> TANH;
            case RESHAPE, MAX_POOL_2D, PAD, CONCATENATION -> inQ;
            default -> ACTIVATION;
        };
        int out = b.addTensor(node.name(), TensorType.INT8, node.outputShape().withBatch(), outQ);
        int act = fused(i).code();
        LayerSpec layer = node.layer();
        int[] inputs = in;
        BuiltinOptions options = BuiltinOptions.NONE;
        int version = 1;
        if (layer instanceof LayerSpec.Dense d) {
            int depth = inShape.dim(0);
            int w = b.addConstant(node.name() + "/weights", TensorType.INT8, new int[] {d.units(), depth},
                    new byte[d.units() * depth], Quantization.perTensor(WEIGHT_SCALE, 0));
            inputs = new int[] {in[0], w, bias(node, d.units(), inQ, false)};
            options = BuiltinOptions.FullyConnected.of(fused(i));
            version = 4;
        } else if (layer instanceof LayerSpec.Conv2D c) {
            int cin = inShape.dim(2);
            int w = b.addConstant(node.name() + "/weights", TensorType.INT8,
                    new int[] {c.filters(), c.kernelH(), c.kernelW(), cin},
                    new byte[c.filters() * c.kernelH() * c.kernelW() * cin], perChannel(c.filters(), 0));
            inputs = new int[] {in[0], w, bias(node, c.filters(), inQ, true)};
            options = new BuiltinOptions.Conv2D(c.padding().code(), c.strideW(), c.strideH(), act, c.dilationW(),
                    c.dilationH());
            version = 3;
        } else if (layer instanceof LayerSpec.DepthwiseConv2D c) {
            int channels = inShape.dim(2) * c.depthMultiplier();
            int w = b.addConstant(node.name() + "/weights", TensorType.INT8,
                    new int[] {1, c.kernelH(), c.kernelW(), channels},
                    new byte[c.kernelH() * c.kernelW() * channels], perChannel(channels, 3));
            inputs = new int[] {in[0], w, bias(node, channels, inQ, true)};
            options = new BuiltinOptions.DepthwiseConv2D(c.padding().code(), c.strideW(), c.strideH(),
                    c.depthMultiplier(), act, c.dilationW(), c.dilationH());
            version = 3;
        } else if (layer instanceof LayerSpec.MaxPool2D p) {
            options = new BuiltinOptions.Pool2D(p.padding().code(), p.strideW(), p.strideH(), p.poolW(), p.poolH(), 0);
            version = 2;
        } else if (layer instanceof LayerSpec.AvgPool2D p) {
            options = new BuiltinOptions.Pool2D(p.padding().code(), p.strideW(), p.strideH(), p.poolW(), p.poolH(), 0);
            version = 2;
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            int axis = b.addInt32Constant(node.name() + "/axis", new int[] {2}, new int[] {1, 2}, Quantization.NONE);
            inputs = new int[] {in[0], axis};
            options = new BuiltinOptions.Reducer(false);
            version = 2;
        } else if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Reshape) {
            int[] shape = node.outputShape().withBatch();
            int s = b.addInt32Constant(node.name() + "/shape", new int[] {shape.length}, shape, Quantization.NONE);
            inputs = new int[] {in[0], s};
            options = new BuiltinOptions.Reshape(shape);
        } else if (layer instanceof LayerSpec.ZeroPad2D p) {
            int pads = b.addInt32Constant(node.name() + "/paddings", new int[] {4, 2},
                    new int[] {0, 0, p.top(), p.bottom(), p.left(), p.right(), 0, 0}, Quantization.NONE);
            inputs = new int[] {in[0], pads};
            options = new BuiltinOptions.Empty(BuiltinOptions.Types.PAD);
            version = 2;
        } else if (layer instanceof LayerSpec.Add) {
            options = new BuiltinOptions.Add(act, false);
            version = 2;
        } else if (layer instanceof LayerSpec.Concatenate) {
            options = new BuiltinOptions.Concatenation(node.outputShape().rank(), 0);
            version = 2;
        } else if (layer instanceof LayerSpec.Activation a) {
            if (a.kind() == ActivationKind.SOFTMAX) {
                options = new BuiltinOptions.Softmax(1f);
                version = 2;
            } else if (a.kind() == ActivationKind.LEAKY_RELU) {
                options = new BuiltinOptions.LeakyRelu(a.alpha());
            } else {
                version = 2;
            }
        }
        b.addOperator(op, version, options, inputs, new int[] {out});
        tensor[i] = out;
        quant[i] = outQ;
    }

    private Activation fused(int node) {
        ActivationKind kind = lowering.fusedActivation(node);
        if (kind == null) {
            return Activation.NONE;
        }
        return kind == ActivationKind.RELU ? Activation.RELU : Activation.RELU6;
    }

    private int bias(LayerNode node, int count, Quantization inQ, boolean perChannel) {
        LayerSpec layer = node.layer();
        boolean useBias = layer instanceof LayerSpec.Dense d ? d.useBias()
                : layer instanceof LayerSpec.Conv2D c ? c.useBias()
                : layer instanceof LayerSpec.DepthwiseConv2D w && w.useBias();
        boolean folded = false;
        for (int j = node.index() + 1; j < spec.nodes().size(); j++) {
            folded |= lowering.role(j) == Lowering.Role.FOLDED && lowering.into(j) == node.index();
        }
        if (!useBias && !folded) {
            return -1;
        }
        float scale = inQ.scale() * WEIGHT_SCALE;
        Quantization q;
        if (perChannel) {
            float[] scales = new float[count];
            Arrays.fill(scales, scale);
            q = Quantization.perChannel(scales, new long[count], 0);
        } else {
            q = Quantization.perTensor(scale, 0);
        }
        return b.addInt32Constant(node.name() + "/bias", new int[] {count}, new int[count], q);
    }

    private static Quantization perChannel(int channels, int axis) {
        float[] scales = new float[channels];
        Arrays.fill(scales, WEIGHT_SCALE);
        return Quantization.perChannel(scales, new long[channels], axis);
    }
}
