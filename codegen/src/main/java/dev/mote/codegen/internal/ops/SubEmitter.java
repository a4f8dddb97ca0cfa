package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Sub;

/** SUB int8 with broadcasting and fused activation: {@code mote_add_sub_s8}. */
public final class SubEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        AddSubEmitter.emit(op, op.kernel(Sub.class).int8Parameters(), true);
    }
}
