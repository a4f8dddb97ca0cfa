package dev.mote.dsl;

import dev.mote.vocabulary.MoteException;

/**
 * A layer's options were changed after the chain had moved on from it. Options such as {@code stride(..)},
 * {@code padding(..)} or {@code named(..)} belong right after the call that declared the layer: once another layer
 * reads it, changing it would silently change what the already-chained layers see, so the step is closed.
 *
 * <pre>{@code
 * ConvLayer conv = image.conv2d(4, 3, 3);
 * conv.relu();
 * conv.stride(2);   // throws: layer 1 'conv2d' (Conv2D) is closed: layer 2 'relu' already reads it; ...
 * image.conv2d(4, 3, 3).stride(2).relu();   // what to write instead
 * }</pre>
 */
public final class LayerClosedException extends MoteException {
    private final int layerIndex;
    private final String layerName;
    private final String option;

    LayerClosedException(int layerIndex, String layerName, String layerType, String option, int readerIndex,
                         String readerName) {
        super("layer " + layerIndex + " '" + layerName + "' (" + layerType + ") is closed: layer " + readerIndex
                + " '" + readerName + "' already reads it, so " + option + " would change a layer the chain has "
                + "moved past; call " + option + " right after declaring '" + layerName
                + "', before chaining the next layer");
        this.layerIndex = layerIndex;
        this.layerName = layerName;
        this.option = option;
    }

    /** The index of the closed layer in the model's node list. */
    public int layerIndex() {
        return layerIndex;
    }

    /** The name of the closed layer. */
    public String layerName() {
        return layerName;
    }

    /** The option that was called too late, e.g. {@code stride(..)}. */
    public String option() {
        return option;
    }
}
