package dev.mote.runtime.format;

import java.util.List;
import java.util.Optional;

/**
 * A whole TFLite model (schema version 3) as Mote reads and writes it. Obtain one with
 * {@link ModelReader#read(byte[])}, turn one into bytes with {@link ModelWriter#write(Model)}.
 */
public record Model(int version, List<OperatorCode> operatorCodes, List<Subgraph> subgraphs, String description,
                    List<DataBuffer> buffers, List<MetadataEntry> metadata) {

    /** The schema version this code reads and writes. */
    public static final int SCHEMA_VERSION = 3;

    public Model {
        operatorCodes = List.copyOf(operatorCodes);
        subgraphs = List.copyOf(subgraphs);
        buffers = List.copyOf(buffers);
        metadata = List.copyOf(metadata);
        description = description == null ? "" : description;
    }

    /** The main subgraph (index 0). */
    public Subgraph mainSubgraph() {
        return subgraphs.get(0);
    }

    /**
     * Buffer {@code index}. Index 0 is the schema's "no data" sentinel: a model without any buffers still has it
     * (empty), so that tensors without data can say buffer 0 either way.
     */
    public DataBuffer buffer(int index) {
        if (index == 0 && buffers.isEmpty()) {
            return DataBuffer.EMPTY;
        }
        return buffers.get(index);
    }

    /** The buffer of the metadata entry with this name, if any. */
    public Optional<DataBuffer> metadata(String name) {
        for (MetadataEntry entry : metadata) {
            if (entry.name().equals(name) && entry.buffer() >= 0 && entry.buffer() < buffers.size()) {
                return Optional.of(buffers.get(entry.buffer()));
            }
        }
        return Optional.empty();
    }
}
