package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.vocabulary.Padding;

import java.util.ArrayList;
import java.util.List;

/** Builds {@link ModelSpec}s from LayerSpec records for tests (TFLite shape inference; {@link ModelSpec#of} checks). */
final class Specs {

    private final List<LayerNode> nodes = new ArrayList<>();

    private Specs(Shape input) {
        nodes.add(new LayerNode(0, "input", new LayerSpec.Input(input), new int[0], input));
    }

    static Specs input(int... dims) {
        return new Specs(Shape.of(dims));
    }

    /** Appends {@code layer} reading the previous node. */
    Specs then(LayerSpec layer) {
        add(layer, nodes.size() - 1);
        return this;
    }

    /** Adds {@code layer} reading {@code inputs}; returns its index. */
    int add(LayerSpec layer, int... inputs) {
        List<Shape> in = new ArrayList<>();
        for (int i : inputs) {
            in.add(nodes.get(i).outputShape());
        }
        int index = nodes.size();
        String name = "n" + index + "_" + layer.getClass().getSimpleName().toLowerCase();
        nodes.add(new LayerNode(index, name, layer, inputs, infer(layer, in)));
        return index;
    }

    int last() {
        return nodes.size() - 1;
    }

    ModelSpec build(String name) {
        return ModelSpec.of(name, nodes);
    }

    static LayerSpec dense(int units) {
        return new LayerSpec.Dense(units, true);
    }

    static LayerSpec conv(int filters, int k, int stride, Padding padding) {
        return new LayerSpec.Conv2D(filters, k, k, stride, stride, padding, 1, 1, true);
    }

    static LayerSpec depthwise(int k, int multiplier, int stride, Padding padding) {
        return new LayerSpec.DepthwiseConv2D(k, k, multiplier, stride, stride, padding, 1, 1, true);
    }

    static LayerSpec act(ActivationKind kind) {
        return LayerSpec.Activation.of(kind);
    }

    static Shape infer(LayerSpec layer, List<Shape> in) {
        Shape s = in.isEmpty() ? null : in.get(0);
        if (layer instanceof LayerSpec.Dense d) {
            return Shape.of(d.units());
        } else if (layer instanceof LayerSpec.Conv2D c) {
            return Shape.of(out(s.dim(0), c.kernelH(), c.strideH(), c.dilationH(), c.padding()),
                    out(s.dim(1), c.kernelW(), c.strideW(), c.dilationW(), c.padding()), c.filters());
        } else if (layer instanceof LayerSpec.DepthwiseConv2D c) {
            return Shape.of(out(s.dim(0), c.kernelH(), c.strideH(), c.dilationH(), c.padding()),
                    out(s.dim(1), c.kernelW(), c.strideW(), c.dilationW(), c.padding()),
                    s.dim(2) * c.depthMultiplier());
        } else if (layer instanceof LayerSpec.MaxPool2D p) {
            return Shape.of(out(s.dim(0), p.poolH(), p.strideH(), 1, p.padding()),
                    out(s.dim(1), p.poolW(), p.strideW(), 1, p.padding()), s.dim(2));
        } else if (layer instanceof LayerSpec.AvgPool2D p) {
            return Shape.of(out(s.dim(0), p.poolH(), p.strideH(), 1, p.padding()),
                    out(s.dim(1), p.poolW(), p.strideW(), 1, p.padding()), s.dim(2));
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            return Shape.of(s.dim(2));
        } else if (layer instanceof LayerSpec.Flatten) {
            return Shape.of((int) s.elementCount());
        } else if (layer instanceof LayerSpec.Reshape r) {
            return r.shape();
        } else if (layer instanceof LayerSpec.ZeroPad2D z) {
            return Shape.of(s.dim(0) + z.top() + z.bottom(), s.dim(1) + z.left() + z.right(), s.dim(2));
        } else if (layer instanceof LayerSpec.Concatenate) {
            int[] dims = s.dims();
            int sum = 0;
            for (Shape x : in) {
                sum += x.dim(x.rank() - 1);
            }
            dims[dims.length - 1] = sum;
            return new Shape(dims);
        }
        return s; // BatchNorm, Dropout, Activation, Add
    }

    private static int out(int in, int k, int stride, int dilation, Padding padding) {
        int effective = (k - 1) * dilation + 1;
        return padding == Padding.SAME ? (in + stride - 1) / stride : (in - effective) / stride + 1;
    }
}
