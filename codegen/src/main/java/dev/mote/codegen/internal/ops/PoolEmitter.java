package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.AveragePool2D;
import dev.mote.runtime.internal.kernels.MaxPool2D;
import dev.mote.runtime.internal.kernels.PoolingParameters;

/** MAX_POOL_2D and AVERAGE_POOL_2D int8: {@code mote_pool_s8} with the prepared geometry and activation range. */
public final class PoolEmitter implements OpEmitter {
    private final boolean average;

    public PoolEmitter(boolean average) {
        this.average = average;
    }

    @Override
    public void emit(EmitContext op) {
        PoolingParameters.Int8 p = average ? op.kernel(AveragePool2D.class).int8Parameters()
                : op.kernel(MaxPool2D.class).int8Parameters();
        if (p == null) {
            throw op.unsupported(op.inputTensor(0).type() + " " + op.op() + " (int8 only)");
        }
        op.use("pooling");
        op.statement("mote_pool_s8(" + (average ? 1 : 0) + ", " + op.input(0) + ", " + op.output(0) + ", "
                + p.batches() + ", " + p.inHeight() + ", " + p.inWidth() + ", " + p.depth() + ", " + p.outHeight()
                + ", " + p.outWidth() + ", " + p.filterHeight() + ", " + p.filterWidth() + ", " + p.strideHeight()
                + ", " + p.strideWidth() + ", " + p.padHeight() + ", " + p.padWidth() + ", " + p.actMin() + ", "
                + p.actMax() + ");");
    }
}
