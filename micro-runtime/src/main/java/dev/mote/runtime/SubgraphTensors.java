package dev.mote.runtime;

import dev.mote.runtime.format.DataBuffer;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;

/**
 * The {@link MicroTensor}s of a subgraph before planning: constants bound in place to the model bytes (or to a copy
 * of their buffer where the caller has no model bytes), activations unbound.
 */
final class SubgraphTensors {
    private SubgraphTensors() {
    }

    static MicroTensor[] of(Model model, Subgraph sg, byte[] modelBytes, KernelScope scope) {
        MicroTensor[] ts = new MicroTensor[sg.tensors().size()];
        for (int i = 0; i < ts.length; i++) {
            Tensor t = sg.tensor(i);
            DataBuffer data = model.buffer(t.buffer());
            ts[i] = new MicroTensor(i, t.name(), t.type(), t.shape(), t.quantization(), !data.isEmpty(),
                    t.isVariable(), scope);
            if (data.isEmpty()) {
                continue;
            }
            if (modelBytes != null && data.isWindowOf(modelBytes)) {
                ts[i].bind(modelBytes, data.backingOffset());
            } else {
                ts[i].bind(data.toByteArray(), 0);
            }
        }
        return ts;
    }

    /** The tensors an operator names ({@code null} for an omitted optional tensor, index -1). */
    static MicroTensor[] pick(MicroTensor[] ts, int[] indices) {
        MicroTensor[] out = new MicroTensor[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = indices[i] < 0 ? null : ts[indices[i]];
        }
        return out;
    }

    /** The context a kernel prepares operator {@code index} of {@code sg} in. */
    static NodeContext node(Model model, MicroTensor[] ts, int index, Operator op, ArenaTarget target,
                            KernelScope scope) {
        var code = model.operatorCodes().get(op.opcodeIndex());
        return new NodeContext(index, code.builtin(), code.version(), op.options(), pick(ts, op.inputs()),
                pick(ts, op.outputs()), target, scope);
    }
}
