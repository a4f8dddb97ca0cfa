package dev.mote.codegen.internal;

/**
 * Emits the C for one TFLite operator: reads what the prepared micro-runtime kernel derived from the model
 * ({@link EmitContext#kernel(Class)}), asks for the kernel library it calls ({@link EmitContext#use}) and writes
 * the call with its shapes and requantization constants ({@link EmitContext#statement}). One implementation per
 * op, in {@code internal.ops}; {@link Emitters} is the table.
 */
@FunctionalInterface
public interface OpEmitter {
    /**
     * Emits the operator, or throws {@link EmitContext#unsupported} for a configuration the generator lacks.
     */
    void emit(EmitContext op);
}
