package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Mean;

/** MEAN int8: {@code mote_mean_s8} over the prepared shape (padded to rank 5), with int32 sums as arena scratch. */
public final class MeanEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        Mean.Int8Parameters p = op.kernel(Mean.class).int8Parameters();
        if (p == null) {
            throw op.unsupported(op.inputTensor(0).type() + " MEAN (int8 only)");
        }
        if (op.inputTensor(0).elementCount() == 0 || p.reducedCount() == 0) {
            op.statement("memset(" + op.output(0) + ", 0, " + op.outputTensor(0).byteSize() + ");");
            return;
        }
        int pad = 5 - p.inputShape().length;
        int[] shape = new int[5];
        int[] stride = new int[5];
        for (int d = 0; d < 5; d++) {
            shape[d] = d < pad ? 1 : p.inputShape()[d - pad];
            stride[d] = d < pad ? 0 : p.outputStrideOfInputDim()[d - pad];
        }
        op.use("mean");
        String sums = op.scratch("mean sums", 4L * p.outputCount(), "int32_t");
        op.statement("mote_mean_s8(" + op.input(0) + ", " + op.output(0) + ", " + op.constInts("shape", shape)
                + ", " + op.constInts("output_strides", stride) + ", " + p.outputCount() + ", "
                + ((long) p.inputZeroPoint() * p.reducedCount()) + "LL, " + p.outputZeroPoint() + ", "
                + EmitContext.intLiteral(p.multiplier()) + ", " + p.shift() + ", " + sums + ");");
    }
}
