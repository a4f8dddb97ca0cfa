package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.runtime.internal.kernels.Add;
import dev.mote.vocabulary.TensorType;

/** The shared int8 ADD/SUB call {@code mote_add_sub_s8}, with broadcast strides from the prepared kernel. */
final class AddSubEmitter {
    private AddSubEmitter() {
    }

    /** Emits {@code mote_add_sub_s8} for {@code p} (null: a float32 op, refused). */
    static void emit(EmitContext op, Add.Int8Parameters p, boolean subtract) {
        if (p == null) {
            throw op.unsupported(op.inputTensor(0).type() + " " + op.op() + " (int8 only)");
        }
        op.requireTypes(TensorType.INT8);
        op.use("add_sub");
        String dims = op.constInts("dims", p.dims());
        String s1 = op.constInts("strides1", p.strides1());
        String s2 = op.constInts("strides2", p.strides2());
        op.statement("mote_add_sub_s8(" + op.input(0) + ", " + op.input(1) + ", " + op.output(0) + ", " + dims + ", "
                + s1 + ", " + s2 + ", " + (subtract ? 1 : 0) + ", " + p.leftShift() + ", "
                + EmitContext.intLiteral(p.input1Offset()) + ", " + EmitContext.intLiteral(p.input1Multiplier()) + ", "
                + p.input1Shift() + ", " + EmitContext.intLiteral(p.input2Offset()) + ", "
                + EmitContext.intLiteral(p.input2Multiplier()) + ", " + p.input2Shift() + ", "
                + EmitContext.intLiteral(p.outputOffset()) + ", " + EmitContext.intLiteral(p.outputMultiplier()) + ", "
                + p.outputShift() + ", " + p.actMin() + ", " + p.actMax() + ");");
    }
}
