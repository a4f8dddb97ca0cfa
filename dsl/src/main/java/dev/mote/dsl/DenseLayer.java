package dev.mote.dsl;

/**
 * A just-declared dense layer: set its options, or continue like any {@link FlatLayer}. The options are set before
 * the next layer is chained; afterwards they throw {@link LayerClosedException}.
 *
 * <pre>{@code
 * FlatLayer hidden = features.dense(16).named("hidden").withoutBias().batchNorm().relu();
 * }</pre>
 */
public final class DenseLayer extends FlatLayer {

    DenseLayer(MicroModel model, int index) {
        super(model, index);
    }

    private LayerSpec.Dense spec() {
        return (LayerSpec.Dense) model.layer(index);
    }

    @Override
    public DenseLayer named(String name) {
        model.rename(index, name);
        return this;
    }

    /** Drops the bias (a following batchNorm gives the exported layer one again when folded). */
    public DenseLayer withoutBias() {
        model.replace(index, "withoutBias()", new LayerSpec.Dense(spec().units(), false));
        return this;
    }

    /** Batch normalization with Keras' defaults (epsilon 0.001, momentum 0.99), folded into this layer at export. */
    public FlatLayer batchNorm() {
        return batchNorm(0.001, 0.99);
    }

    /** Batch normalization, folded into this layer's weights and bias at export. */
    public FlatLayer batchNorm(double epsilon, double momentum) {
        return new FlatLayer(model, model.append(new LayerSpec.BatchNorm(epsilon, momentum), index));
    }
}
