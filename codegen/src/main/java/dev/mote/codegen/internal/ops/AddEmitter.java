package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Add;

/** ADD int8 with broadcasting and fused activation: {@code mote_add_sub_s8}. */
public final class AddEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        AddSubEmitter.emit(op, op.kernel(Add.class).int8Parameters(), false);
    }
}
