package dev.mote.dsl;

/**
 * A layer whose output is 2-D, {@code [steps, features]}. Reshape it to an image ({@code reshape(h, w, c)}) for 2-D
 * layers, or {@link #flatten()} it for dense layers.
 */
public final class SequenceLayer extends Layer<SequenceLayer> {

    SequenceLayer(MicroModel model, int index) {
        super(model, index);
    }

    @Override
    SequenceLayer self(int node) {
        return new SequenceLayer(model, node);
    }

    /** Flattens to {@code [steps * features]} (TFLite RESHAPE). */
    public FlatLayer flatten() {
        return new FlatLayer(model, model.append(new LayerSpec.Flatten(), index));
    }
}
