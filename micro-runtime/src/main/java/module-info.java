/**
 * Mote's micro interpreter: reads TFLite bytes as TFLM does, plans one arena as TFLM does and runs kernels that
 * compute what TFLM's reference kernels compute. The API is the interpreter, its tensors, the op resolver and
 * kernel interface (for custom ops), the arena report, the budget check, the FlatBuffer reader and writer, and the
 * exceptions; {@code dev.mote.runtime.internal.*} (kernels, memory planning, integer math) may change at any time.
 */
module dev.mote.runtime {
    requires transitive dev.mote.vocabulary;
    requires flatbuffers.java;

    exports dev.mote.runtime;
    exports dev.mote.runtime.budget;
    exports dev.mote.runtime.format;
    exports dev.mote.runtime.internal.memory to dev.mote.exporter, dev.mote.cli, dev.mote.codegen, dev.mote.report;
    exports dev.mote.runtime.internal to dev.mote.codegen;
    exports dev.mote.runtime.internal.kernels to dev.mote.codegen;
}
