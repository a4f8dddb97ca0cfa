/**
 * Mote's model declaration: the typed fluent builder ({@link dev.mote.dsl.MicroModel}), the validated
 * {@link dev.mote.dsl.ModelSpec} and its summary, and the one quantization contract of a spec
 * ({@link dev.mote.dsl.plan.TensorPlan}) that the trainer and the exporter both read.
 */
module dev.mote.dsl {
    requires transitive dev.mote.vocabulary;

    exports dev.mote.dsl;
    exports dev.mote.dsl.plan;
}
