package dev.mote.runtime.format;

/** A named metadata entry pointing at one of the model's buffers (e.g. {@code min_runtime_version}). */
public record MetadataEntry(String name, int buffer) {

    public MetadataEntry {
        name = name == null ? "" : name; // a file may omit the name; the writer needs a string
    }
}
