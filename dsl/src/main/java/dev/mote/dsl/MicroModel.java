package dev.mote.dsl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a model declaration starts. A sequential model is one chain of layers:
 *
 * <pre>{@code
 * ModelSpec sine = MicroModel.sequential("hello_world")
 *         .input(1)
 *         .dense(16).relu()
 *         .dense(16).relu()
 *         .dense(1)
 *         .build();
 * }</pre>
 *
 * A graph model has branches that meet again in {@link #add} (residual connections) or {@link #concatenate}:
 * every layer call returns a new handle, and a handle can be continued more than once.
 *
 * <pre>{@code
 * MicroModel g = MicroModel.graph("kws_res");
 * ImageLayer x = g.input(49, 10, 1).conv2d(16, 3, 3).padding(Padding.SAME).relu();
 * ImageLayer y = x.conv2d(16, 3, 3).padding(Padding.SAME).batchNorm().relu()
 *         .conv2d(16, 3, 3).padding(Padding.SAME).batchNorm();
 * ModelSpec spec = g.add(x, y).relu().globalAvgPool2d().dense(12).softmax().build();
 * }</pre>
 *
 * The handle types follow the shape: {@link ImageLayer} ([height, width, channels]) offers the 2-D layers,
 * {@link FlatLayer} ([features]) offers {@code dense} and {@code softmax}, {@link SequenceLayer}
 * ([steps, features]) offers {@code flatten} and {@code reshape}. Everything types cannot express is checked by
 * {@code build()}, which infers every shape and throws {@link InvalidModelSpecException} naming the layer and the
 * rule.
 *
 * <p>Layers get Keras-style names ({@code dense}, {@code dense_1}, ...) unless renamed with {@code named(..)}.
 * A layer's options ({@code named}, {@code stride}, {@code padding}, ...) are set right after the call that declares
 * it: once another layer reads it, its step is closed and changing it throws {@link LayerClosedException}.
 * A {@code MicroModel} is not thread-safe; the {@link ModelSpec} it builds is immutable.
 */
public final class MicroModel {
    private final String name;
    private final boolean branching;
    private final List<Draft> nodes = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();

    private MicroModel(String name, boolean branching) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the model name must not be blank");
        }
        this.name = name;
        this.branching = branching;
    }

    /** Starts a model that is a single chain of layers (Keras' {@code Sequential}). */
    public static MicroModel sequential(String name) {
        return new MicroModel(name, false);
    }

    /** Starts a model whose branches may be joined with {@link #add} and {@link #concatenate}. */
    public static MicroModel graph(String name) {
        return new MicroModel(name, true);
    }

    /** The model's name. */
    public String name() {
        return name;
    }

    /** A 1-D input of {@code features} values, e.g. {@code input(1)} for Hello World's x. */
    public FlatLayer input(int features) {
        return new FlatLayer(this, addInput(Shape.of(features)));
    }

    /** A 2-D input of {@code steps} rows of {@code features} values (e.g. audio frames x coefficients). */
    public SequenceLayer input(int steps, int features) {
        return new SequenceLayer(this, addInput(Shape.of(steps, features)));
    }

    /** An image input in TFLite's NHWC order (the batch of 1 is implicit). */
    public ImageLayer input(int height, int width, int channels) {
        return new ImageLayer(this, addInput(Shape.of(height, width, channels)));
    }

    /**
     * Element-wise sum of two branches of equal shape (TFLite ADD), e.g. a residual connection. Only in
     * {@link #graph} models.
     */
    public <L extends Layer<L>> L add(L a, L b) {
        requireBranching("add");
        int index = append(new LayerSpec.Add(), own(a), own(b));
        return a.self(index);
    }

    /**
     * Joins branches along the last axis (channels or features; TFLite CONCATENATION); all other dimensions must be
     * equal. Only in {@link #graph} models.
     */
    @SafeVarargs
    public final <L extends Layer<L>> L concatenate(L first, L second, L... more) {
        requireBranching("concatenate");
        int[] inputs = new int[2 + more.length];
        inputs[0] = own(first);
        inputs[1] = own(second);
        for (int k = 0; k < more.length; k++) {
            inputs[2 + k] = own(more[k]);
        }
        return first.self(append(new LayerSpec.Concatenate(), inputs));
    }

    private void requireBranching(String what) {
        if (!branching) {
            throw new IllegalStateException(what + "(..) joins branches; declare the model with MicroModel.graph(\""
                    + name + "\") instead of sequential(..)");
        }
    }

    private int own(Layer<?> layer) {
        Objects.requireNonNull(layer, "layer");
        if (layer.model != this) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' belongs to model '" + layer.model.name
                    + "', not to '" + name + "'");
        }
        return layer.index;
    }

    private int addInput(Shape shape) {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("model '" + name + "' already has its input (layer 0 '"
                    + nodes.get(0).name() + "'); a model has exactly one input");
        }
        return append(new LayerSpec.Input(shape));
    }

    // ---- used by the layer handles ------------------------------------------------------------------------------

    int append(LayerSpec layer, int... inputs) {
        nodes.add(new Draft(freshName(LayerNames.base(layer)), layer, inputs));
        int index = nodes.size() - 1;
        names.put(nodes.get(index).name(), index);
        return index;
    }

    LayerSpec layer(int index) {
        return nodes.get(index).layer();
    }

    /**
     * Replaces the options of layer {@code index}, which no layer may read yet.
     *
     * @throws LayerClosedException if the chain has moved on from the layer
     */
    void replace(int index, String option, LayerSpec layer) {
        requireOpen(index, option);
        nodes.set(index, nodes.get(index).withLayer(layer));
    }

    /** A layer's step is open until another layer reads it; then its options are frozen. */
    private void requireOpen(int index, String option) {
        for (int j = index + 1; j < nodes.size(); j++) {
            for (int p : nodes.get(j).inputs()) {
                if (p == index) {
                    Draft d = nodes.get(index);
                    throw new LayerClosedException(index, d.name(), LayerNames.type(d.layer()), option, j,
                            nodes.get(j).name());
                }
            }
        }
    }

    String nameOf(int index) {
        return nodes.get(index).name();
    }

    void rename(int index, String newName) {
        Objects.requireNonNull(newName, "name");
        if (newName.isBlank()) {
            throw new IllegalArgumentException("a layer name must not be blank");
        }
        requireOpen(index, "named(..)");
        Integer owner = names.get(newName);
        if (owner != null && owner != index) {
            throw new IllegalArgumentException("model '" + name + "' already has a layer named '" + newName
                    + "' (layer " + owner + ")");
        }
        names.remove(nodes.get(index).name());
        names.put(newName, index);
        nodes.set(index, nodes.get(index).withName(newName));
    }

    private String freshName(String base) {
        int n = counters.getOrDefault(base, 0);
        String candidate = n == 0 ? base : base + "_" + n;
        while (names.containsKey(candidate)) {
            n++;
            candidate = base + "_" + n;
        }
        counters.put(base, n + 1);
        return candidate;
    }

    /** Validates the model whose output is node {@code output} (every other node must lead to it). */
    ModelSpec build(int output) {
        boolean[] used = new boolean[nodes.size()];
        used[output] = true;
        for (int i = output; i >= 0; i--) {
            if (used[i]) {
                for (int p : nodes.get(i).inputs()) {
                    used[p] = true;
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (!used[i]) {
                Draft d = nodes.get(i);
                throw new InvalidModelSpecException(i, d.name(), LayerNames.type(d.layer()),
                        InvalidModelSpecException.Rule.GRAPH_STRUCTURE, "does not lead to the output '"
                        + nodes.get(output).name() + "'", "every layer call returns a new handle: keep chaining "
                        + "from the handle it returns, build() from the last layer, or join the branch with "
                        + "add(..) / concatenate(..)");
            }
        }
        return ModelSpec.checked(name, List.copyOf(nodes));
    }
}
