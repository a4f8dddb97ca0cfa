/**
 * Mote's C code generator: a TFLite int8 model as standalone C99 ({@code NAME.h}, {@code NAME.c}) whose
 * {@code NAME_invoke} computes, bit for bit, what TFLM's reference kernels compute, with the weights as constants
 * and every activation in one static arena. The API is {@link dev.mote.codegen.CCodeGenerator} and
 * {@link dev.mote.codegen.GeneratedC}; {@code dev.mote.codegen.internal.*} may change at any time.
 */
module dev.mote.codegen {
    requires transitive dev.mote.runtime;

    exports dev.mote.codegen;
}
