/**
 * Mote's exporter: a {@code ModelSpec} with trained parameters to TFLite bytes, a C array and op-resolver header,
 * and the {@link dev.mote.exporter.ModelReport} with TFLM's arena figures.
 */
module dev.mote.exporter {
    requires transitive dev.mote.dsl;
    requires transitive dev.mote.runtime;
    requires transitive dev.mote.codegen;

    exports dev.mote.exporter;
}
