package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

/**
 * A layer whose output is 2-D, {@code [steps, features]}: a time series (accelerometer axes, audio frames, sensor
 * channels). The place for the 1-D layers and recurrent layers; {@link #flatten()}, {@link #lastStep()} or
 * {@link #globalAvgPool1d()} lead to dense layers. Convolutions and pooling start with stride 1 (pooling: stride =
 * window) and {@link Padding#VALID}, as in Keras; change them on the returned {@link Conv1DLayer} or
 * {@link Pool1DLayer}. The 1-D layers run on TFLite's 2-D kernels over the sequence's image view
 * ({@link SequenceImage}).
 *
 * <pre>{@code
 * FlatLayer gesture = MicroModel.sequential("gesture").input(128, 3)
 *         .conv1d(16, 5).padding(Padding.SAME).relu()
 *         .maxPool1d(2)
 *         .lstm(20)
 *         .lastStep()
 *         .dense(4).softmax();
 * }</pre>
 */
public sealed class SequenceLayer extends Layer<SequenceLayer> permits Conv1DLayer, Pool1DLayer {

    SequenceLayer(MicroModel model, int index) {
        super(model, index);
    }

    @Override
    SequenceLayer self(int node) {
        return new SequenceLayer(model, node);
    }

    /**
     * A 1-D convolution of {@code filters} kernels of {@code kernel} steps with bias: {@code [steps, c] ->
     * [steps', filters]} (TFLite CONV_2D on the image view).
     */
    public Conv1DLayer conv1d(int filters, int kernel) {
        return new Conv1DLayer(model, model.append(
                new LayerSpec.Conv1D(filters, kernel, 1, Padding.VALID, 1, true), index));
    }

    /** Maximum over windows of {@code window} steps, stride = window, VALID (TFLite MAX_POOL_2D). */
    public Pool1DLayer maxPool1d(int window) {
        return new Pool1DLayer(model, model.append(new LayerSpec.MaxPool1D(window, window, Padding.VALID), index));
    }

    /** Average over windows of {@code window} steps, stride = window, VALID (TFLite AVERAGE_POOL_2D). */
    public Pool1DLayer avgPool1d(int window) {
        return new Pool1DLayer(model, model.append(new LayerSpec.AvgPool1D(window, window, Padding.VALID), index));
    }

    /** The mean of each channel over the steps: {@code [steps, c] -> [c]} (TFLite MEAN). */
    public FlatLayer globalAvgPool1d() {
        return new FlatLayer(model, model.append(new LayerSpec.GlobalAvgPool1D(), index));
    }

    /**
     * An LSTM of {@code units} cells returning every step, {@code [steps, f] -> [steps, units]} (TFLite
     * UNIDIRECTIONAL_SEQUENCE_LSTM; in int8 its cell state is int16). Follow it with {@link #lastStep()} for the
     * final state only, as Keras' {@code return_sequences=False}.
     */
    public SequenceLayer lstm(int units) {
        return new SequenceLayer(model, model.append(new LayerSpec.Lstm(units), index));
    }

    /** The last step, {@code [steps, f] -> [f]} (TFLite STRIDED_SLICE). */
    public FlatLayer lastStep() {
        return new FlatLayer(model, model.append(new LayerSpec.LastStep(), index));
    }

    /**
     * A fully connected layer of {@code units} outputs with bias applied to every step, {@code [steps, f] ->
     * [steps, units]} (TFLite FULLY_CONNECTED with {@code keep_num_dims}).
     */
    public SequenceLayer dense(int units) {
        return new SequenceLayer(model, model.append(new LayerSpec.Dense(units, true), index));
    }

    /**
     * Flattens to {@code [steps * features]}: TFLite RESHAPE, or no operator at all when only a dense layer reads it
     * (FULLY_CONNECTED flattens its input itself).
     */
    public FlatLayer flatten() {
        return new FlatLayer(model, model.append(new LayerSpec.Flatten(), index));
    }
}
