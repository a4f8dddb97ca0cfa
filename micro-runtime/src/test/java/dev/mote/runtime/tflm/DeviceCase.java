package dev.mote.runtime.tflm;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One seeded single-op (or small) model and its activation inputs, to run in Mote and in real TFLM.
 *
 * @param variant     the op and variant it exercises, e.g. {@code CONV_2D int8}
 * @param seed        the seed it was drawn from (rerun it with the same seed)
 * @param description the shapes and options, for failure messages
 * @param model       the model bytes
 * @param inputs      the raw bytes of each activation input, in the subgraph's input order
 */
public record DeviceCase(String variant, long seed, String description, byte[] model, List<byte[]> inputs) {

    /** All inputs back to back: what {@code tflm_run --input-file} reads. */
    public byte[] concatenatedInputs() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] in : inputs) {
            out.writeBytes(in);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return variant + " seed " + seed + ": " + description;
    }
}
