package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Mul;
import dev.mote.vocabulary.TensorType;

/** MUL int8 with broadcasting and fused activation: {@code mote_mul_s8}. */
public final class MulEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        Mul.Int8Parameters p = op.kernel(Mul.class).int8Parameters();
        if (p == null) {
            throw op.unsupported(op.inputTensor(0).type() + " MUL (int8 only)");
        }
        op.requireTypes(TensorType.INT8);
        op.use("mul");
        String dims = op.constInts("dims", p.dims());
        String s1 = op.constInts("strides1", p.strides1());
        String s2 = op.constInts("strides2", p.strides2());
        op.statement("mote_mul_s8(" + op.input(0) + ", " + op.input(1) + ", " + op.output(0) + ", " + dims + ", "
                + s1 + ", " + s2 + ", " + EmitContext.intLiteral(p.input1Offset()) + ", "
                + EmitContext.intLiteral(p.input2Offset()) + ", " + EmitContext.intLiteral(p.outputOffset()) + ", "
                + EmitContext.intLiteral(p.multiplier()) + ", " + p.shift() + ", " + p.actMin() + ", " + p.actMax()
                + ");");
    }
}
