package dev.mote.exporter;

/**
 * How to export: precision, whether an int8 model takes and returns floats, and what optional extras to write.
 * Immutable; start from {@link #int8()}, {@link #int16x8()} or {@link #float32()} and refine with the {@code with...} methods.
 *
 * <pre>{@code
 * ExportOptions options = ExportOptions.int8().withFloatIo(true);
 * ExportOptions fine = ExportOptions.int16x8();                    // int16 in, int16 out
 * ExportOptions fineFloats = ExportOptions.int16x8().withFloatIo(true);   // QUANTIZE float→int16 ... DEQUANTIZE
 * }</pre>
 *
 * <p>By default nothing is written that TFLM does not need: no tensor names, no signatures, no description;
 * only the {@code min_runtime_version} metadata the TF converter also writes.
 */
public final class ExportOptions {
    private final Precision precision;
    private final boolean floatIo;
    private final boolean tensorNames;
    private final boolean offlineMemoryPlan;

    private ExportOptions(Precision precision, boolean floatIo, boolean tensorNames, boolean offlineMemoryPlan) {
        this.precision = precision;
        this.floatIo = floatIo;
        this.tensorNames = tensorNames;
        this.offlineMemoryPlan = offlineMemoryPlan;
    }

    /** Full-integer int8 with int8 input and output (the defaults). */
    public static ExportOptions int8() {
        return new ExportOptions(Precision.INT8, false, false, false);
    }

    /**
     * TFLite's 16x8 mode ({@link Precision#INT16X8}): int16 activations, int8 weights, int64 bias, with int16 input
     * and output.
     */
    public static ExportOptions int16x8() {
        return new ExportOptions(Precision.INT16X8, false, false, false);
    }

    /** The same model in float32. */
    public static ExportOptions float32() {
        return new ExportOptions(Precision.FLOAT32, false, false, false);
    }

    /**
     * For int8 and 16x8: take a float32 input and return a float32 output, with a QUANTIZE operator (float32 to
     * int8 or int16) at the start and a DEQUANTIZE operator at the end. Ignored for float32 models.
     */
    public ExportOptions withFloatIo(boolean floatIo) {
        return new ExportOptions(precision, floatIo, tensorNames, offlineMemoryPlan);
    }

    /** Write each tensor's layer name (useful in model viewers; costs flash). */
    public ExportOptions withTensorNames(boolean tensorNames) {
        return new ExportOptions(precision, floatIo, tensorNames, offlineMemoryPlan);
    }

    /**
     * Write an {@code OfflineMemoryAllocation} metadata entry: arena offsets for every activation tensor planned by
     * Mote ({@link OfflineMemoryPlanner}), which TFLM uses instead of planning at start-up.
     */
    public ExportOptions withOfflineMemoryPlan(boolean offlineMemoryPlan) {
        return new ExportOptions(precision, floatIo, tensorNames, offlineMemoryPlan);
    }

    public Precision precision() {
        return precision;
    }

    /** True if an integer (int8 or 16x8) model's input and output are float32. */
    public boolean floatIo() {
        return floatIo && precision.quantized();
    }

    public boolean tensorNames() {
        return tensorNames;
    }

    public boolean offlineMemoryPlan() {
        return offlineMemoryPlan;
    }

    @Override
    public String toString() {
        return precision + (floatIo() ? ", float I/O" : "") + (tensorNames ? ", tensor names" : "")
                + (offlineMemoryPlan ? ", offline memory plan" : "");
    }
}
