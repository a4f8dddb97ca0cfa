package dev.mote.exporter;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.testing.Windows;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link ModelSpec}s for tests straight from {@link LayerNode} records, with its own small shape inference
 * (the DSL's fluent builder is written elsewhere). Layers read the previous node unless inputs are given.
 */
final class TestSpecs {
    private final String name;
    private final List<LayerNode> nodes = new ArrayList<>();

    private TestSpecs(String name, Shape input) {
        this.name = name;
        nodes.add(new LayerNode(0, "input", new LayerSpec.Input(input), new int[0], input));
    }

    static TestSpecs input(String name, int... shape) {
        return new TestSpecs(name, Shape.of(shape));
    }

    /** Appends {@code layer} reading the previous node; returns its index. */
    int add(LayerSpec layer) {
        return add(layer, nodes.size() - 1);
    }

    /** Appends {@code layer} reading {@code inputs}; returns its index. */
    int add(LayerSpec layer, int... inputs) {
        int index = nodes.size();
        Shape shape = infer(layer, inputs);
        String layerName = layer.getClass().getSimpleName().toLowerCase() + "_" + index;
        nodes.add(new LayerNode(index, layerName, layer, inputs, shape));
        return index;
    }

    TestSpecs then(LayerSpec layer) {
        add(layer);
        return this;
    }

    ModelSpec build() {
        return ModelSpec.of(name, nodes);
    }

    private Shape shapeOf(int node) {
        return nodes.get(node).outputShape();
    }

    private Shape infer(LayerSpec layer, int[] inputs) {
        Shape in = shapeOf(inputs[0]);
        int[] d = in.dims();
        if (layer instanceof LayerSpec.Dense dense) {
            return Shape.of(dense.units());
        } else if (layer instanceof LayerSpec.Conv2D c) {
            return Shape.of(out(d[0], c.kernelH(), c.strideH(), c.dilationH(), c.padding()),
                    out(d[1], c.kernelW(), c.strideW(), c.dilationW(), c.padding()), c.filters());
        } else if (layer instanceof LayerSpec.DepthwiseConv2D c) {
            return Shape.of(out(d[0], c.kernelH(), c.strideH(), c.dilationH(), c.padding()),
                    out(d[1], c.kernelW(), c.strideW(), c.dilationW(), c.padding()), d[2] * c.depthMultiplier());
        } else if (layer instanceof LayerSpec.MaxPool2D p) {
            return Shape.of(out(d[0], p.poolH(), p.strideH(), 1, p.padding()),
                    out(d[1], p.poolW(), p.strideW(), 1, p.padding()), d[2]);
        } else if (layer instanceof LayerSpec.AvgPool2D p) {
            return Shape.of(out(d[0], p.poolH(), p.strideH(), 1, p.padding()),
                    out(d[1], p.poolW(), p.strideW(), 1, p.padding()), d[2]);
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            return Shape.of(d[2]);
        } else if (layer instanceof LayerSpec.Flatten) {
            return Shape.of((int) in.elementCount());
        } else if (layer instanceof LayerSpec.Reshape r) {
            return r.shape();
        } else if (layer instanceof LayerSpec.ZeroPad2D p) {
            return Shape.of(d[0] + p.top() + p.bottom(), d[1] + p.left() + p.right(), d[2]);
        } else if (layer instanceof LayerSpec.Concatenate) {
            int last = 0;
            for (int i : inputs) {
                last += shapeOf(i).dim(shapeOf(i).rank() - 1);
            }
            int[] o = d.clone();
            o[o.length - 1] = last;
            return Shape.of(o);
        }
        return in; // Add, Activation, BatchNorm, Dropout
    }

    private static int out(int in, int k, int stride, int dilation, Padding padding) {
        return Windows.outSize(padding == Padding.SAME, in, k, stride, dilation);
    }
}
