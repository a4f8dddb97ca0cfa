package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.UnsupportedOpException;

/**
 * A kernel that only declares its op's TFLM arena footprint: its {@code prepare} makes the declarations TFLM's kernel
 * makes (the op's one home of that footprint), and its {@code invoke} refuses, since Mote cannot compute the op. They
 * are not in any {@code OpResolver}: {@code ModelFootprints} uses them (see {@link BuiltinKernels#footprintOnly()})
 * so that {@code ArenaReport} and {@code mote arena} give the exact arena of models with these ops.
 */
abstract class FootprintOnlyKernel implements Kernel {

    @Override
    public final void invoke(NodeContext node) {
        throw new UnsupportedOpException("operator " + node.operatorIndex() + " (" + node.op() + "): Mote has no "
                + "kernel that computes " + node.op() + "; it models only its arena footprint");
    }
}
