package dev.mote.dsl;

/** A layer whose output is 1-D, {@code [features]}: the place for {@code dense} and a final {@code softmax}. */
public sealed class FlatLayer extends Layer<FlatLayer> permits DenseLayer {

    FlatLayer(MicroModel model, int index) {
        super(model, index);
    }

    @Override
    FlatLayer self(int node) {
        return new FlatLayer(model, node);
    }

    /** A fully connected layer of {@code units} outputs with bias (TFLite FULLY_CONNECTED). */
    public DenseLayer dense(int units) {
        return new DenseLayer(model, model.append(new LayerSpec.Dense(units, true), index));
    }

    /** Softmax over the features (TFLite SOFTMAX); allowed only as the model's last layer. */
    public FlatLayer softmax() {
        return activation(ActivationKind.SOFTMAX, 0f);
    }
}
