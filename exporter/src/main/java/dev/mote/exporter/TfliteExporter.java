package dev.mote.exporter;

import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;

/**
 * Converts a {@link ModelSpec} with its trained {@link ModelParameters} into a TFLite FlatBuffer that TFLM, the
 * desktop TFLite interpreter and Mote's {@code MicroInterpreter} all run: by default full-integer int8 following
 * TFLite's int8 quantization spec, lowered the way the TF converter lowers the equivalent Keras model.
 *
 * <pre>{@code
 * ExportedModel model = TfliteExporter.export(spec, trainedModel);          // int8 in, int8 out
 * model.writeTflite(Path.of("build/sine.tflite"));
 * model.cArray("sine_model", ArenaTarget.CORTEX_M).writeTo(Path.of("firmware/src"));
 *
 * ExportedModel floats = TfliteExporter.export(spec, trainedModel, ExportOptions.float32());
 * }</pre>
 */
public final class TfliteExporter {
    private TfliteExporter() {
    }

    /** Exports {@code spec} as a full-integer int8 model with int8 input and output. */
    public static ExportedModel export(ModelSpec spec, ModelParameters parameters) {
        return export(spec, parameters, ExportOptions.int8());
    }

    /**
     * Exports {@code spec} with the given options.
     *
     * @throws ExportException if a layer cannot be lowered or the parameters do not fit the spec (the message
     *                         names the node)
     */
    public static ExportedModel export(ModelSpec spec, ModelParameters parameters, ExportOptions options) {
        if (spec == null || parameters == null || options == null) {
            throw new NullPointerException("spec, parameters and options are required");
        }
        ModelEmitter.Result emitted = new ModelEmitter(ExportFailures.planOf(spec), parameters, options).emit();
        byte[] bytes = emitted.builder().toBytes();
        MemoryPlan plan = null;
        if (options.offlineMemoryPlan()) {
            plan = OfflineMemoryPlanner.plan(bytes);
            bytes = OfflineMemoryPlanner.embed(bytes, plan);
        }
        return new ExportedModel(spec.name(), bytes, options, emitted.nodeTensors(), emitted.operators(), plan);
    }
}
