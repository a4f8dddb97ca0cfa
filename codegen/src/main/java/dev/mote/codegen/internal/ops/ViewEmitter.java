package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;

/**
 * RESHAPE, SQUEEZE and EXPAND_DIMS: the output is the input's bytes under another shape, so no code at all; the
 * output shares the input's memory (a copy only where it cannot, e.g. a model input returned as a model output).
 */
public final class ViewEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        if (op.inputTensor(0).byteSize() != op.outputTensor(0).byteSize()) {
            throw op.unsupported("a view whose output has " + op.outputTensor(0).byteSize()
                    + " bytes and input " + op.inputTensor(0).byteSize());
        }
        op.alias(0, 0);
    }
}
