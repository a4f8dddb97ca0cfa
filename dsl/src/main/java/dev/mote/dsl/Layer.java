package dev.mote.dsl;

/**
 * A handle on one layer of a model being declared, typed by the shape of its output: {@link FlatLayer},
 * {@link SequenceLayer} or {@link ImageLayer}. The methods here apply to any shape; each returns the handle of the
 * new layer, so calls chain. Handles are cheap and may be continued more than once (branches of a
 * {@link MicroModel#graph graph} model). A layer's own options, such as {@link #named}, are set before the next
 * layer reads it; afterwards its step is closed and they throw {@link LayerClosedException}.
 *
 * <pre>{@code
 * FlatLayer out = MicroModel.sequential("m").input(4).dense(8).named("hidden").relu().dropout(0.2).dense(2);
 * ModelSpec spec = out.build();
 * }</pre>
 *
 * @param <L> the handle type of a layer with the same output rank
 */
public abstract sealed class Layer<L extends Layer<L>> permits FlatLayer, SequenceLayer, ImageLayer {
    final MicroModel model;
    final int index;

    Layer(MicroModel model, int index) {
        this.model = model;
        this.index = index;
    }

    /** A handle of this rank on node {@code node} of the same model. */
    abstract L self(int node);

    /** This layer's name (generated Keras-style unless set with {@link #named}). */
    public String name() {
        return model.nameOf(index);
    }

    /**
     * Renames this layer; names must be unique within the model.
     *
     * @throws LayerClosedException if another layer already reads this one
     */
    public L named(String name) {
        model.rename(index, name);
        return self(index);
    }

    /** Rectified linear unit, {@code max(0, x)} (fused into a preceding dense / conv at export). */
    public L relu() {
        return activation(ActivationKind.RELU, 0f);
    }

    /** {@code min(max(0, x), 6)} (fused into a preceding dense / conv at export). */
    public L relu6() {
        return activation(ActivationKind.RELU6, 0f);
    }

    /** Hyperbolic tangent (TFLite TANH). */
    public L tanh() {
        return activation(ActivationKind.TANH, 0f);
    }

    /** Logistic sigmoid (TFLite LOGISTIC). */
    public L sigmoid() {
        return activation(ActivationKind.SIGMOID, 0f);
    }

    /** {@code x >= 0 ? x : alpha * x} (TFLite LEAKY_RELU); {@code alpha} must be finite and {@code >= 0}. */
    public L leakyRelu(float alpha) {
        return activation(ActivationKind.LEAKY_RELU, alpha);
    }

    /** {@code x * relu6(x + 3) / 6} (TFLite HARD_SWISH). */
    public L hardSwish() {
        return activation(ActivationKind.HARD_SWISH, 0f);
    }

    /** Drops a fraction {@code rate} in [0, 1) of the values while training; removed at export. */
    public L dropout(double rate) {
        return self(model.append(new LayerSpec.Dropout(rate), index));
    }

    /** Reshapes to {@code [features]} (TFLite RESHAPE). */
    public FlatLayer reshape(int features) {
        return new FlatLayer(model, model.append(new LayerSpec.Reshape(Shape.of(features)), index));
    }

    /** Reshapes to {@code [steps, features]} (TFLite RESHAPE). */
    public SequenceLayer reshape(int steps, int features) {
        return new SequenceLayer(model, model.append(new LayerSpec.Reshape(Shape.of(steps, features)), index));
    }

    /** Reshapes to an image {@code [height, width, channels]} (TFLite RESHAPE). */
    public ImageLayer reshape(int height, int width, int channels) {
        return new ImageLayer(model, model.append(new LayerSpec.Reshape(Shape.of(height, width, channels)), index));
    }

    /**
     * Validates the model whose output is this layer and returns it: shape inference through every layer and
     * every rule of TFLM's int8 support.
     *
     * @throws InvalidModelSpecException naming the first offending layer (index, name) and the broken rule
     */
    public ModelSpec build() {
        return model.build(index);
    }

    L activation(ActivationKind kind, float alpha) {
        return self(model.append(new LayerSpec.Activation(kind, alpha), index));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " '" + name() + "' (layer " + index + " of model '" + model.name() + "')";
    }
}
