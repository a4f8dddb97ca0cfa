package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.FullyConnected;
import dev.mote.vocabulary.TensorType;

/** FULLY_CONNECTED, int8 with per-tensor weights and int32 bias: {@code mote_fully_connected_s8}. */
public final class FullyConnectedEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        FullyConnected.Int8Parameters p = op.kernel(FullyConnected.class).int8Parameters();
        if (p == null) {
            throw op.unsupported(op.inputTensor(0).type() + " FULLY_CONNECTED (int8 only)");
        }
        op.requireTypes(TensorType.INT8, TensorType.INT32);
        op.use("fully_connected");
        String bias = op.inputCount() > 2 && op.inputTensor(2) != null ? op.input(2) : "((const int32_t *)0)";
        op.statement("mote_fully_connected_s8(" + op.input(0) + ", " + op.input(1) + ", " + bias + ", "
                + op.output(0) + ", " + p.batches() + ", " + p.outputDepth() + ", " + p.accumDepth() + ", "
                + EmitContext.intLiteral(p.inputOffset()) + ", " + EmitContext.intLiteral(p.filterOffset()) + ", "
                + EmitContext.intLiteral(p.outputOffset()) + ", " + EmitContext.intLiteral(p.multiplier()) + ", "
                + p.shift() + ", " + p.actMin() + ", " + p.actMax() + ");");
    }
}
