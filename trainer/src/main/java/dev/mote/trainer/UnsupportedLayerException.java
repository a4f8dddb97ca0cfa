package dev.mote.trainer;

import dev.mote.dsl.LayerNode;

/**
 * A layer of a valid {@code ModelSpec} that the trainer cannot build as a DL4J network. The message names the
 * layer (index and name), what the trainer cannot do and what to change:
 *
 * <pre>
 * layer 0 'input': the trainer cannot train on input shape [4, 3]; it supports [features] and
 * [height, width, channels] inputs: reshape(..) the input to one of them
 * </pre>
 */
public final class UnsupportedLayerException extends TrainerException {
    private static final long serialVersionUID = 1L;

    private final int layerIndex;
    private final String layerName;

    UnsupportedLayerException(LayerNode layer, String problem, String advice) {
        this(layer.index(), layer.name(), problem, advice);
    }

    UnsupportedLayerException(int layerIndex, String layerName, String problem, String advice) {
        super("layer " + layerIndex + " '" + layerName + "': the trainer cannot " + problem + "; " + advice);
        this.layerIndex = layerIndex;
        this.layerName = layerName;
    }

    /** The index of the layer in the spec's node list. */
    public int layerIndex() {
        return layerIndex;
    }

    /** The name of the layer. */
    public String layerName() {
        return layerName;
    }
}
