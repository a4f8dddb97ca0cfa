package dev.mote.runtime;

import dev.mote.runtime.format.Model;

/**
 * TFLM's arena bookkeeping for a model on a target: what {@code MicroAllocator} and the kernels' Init/Prepare
 * allocate besides the planned tensors.
 */
final class TflmArenaAccounting {
    private TflmArenaAccounting() {
    }

    static ArenaReport report(Model model, int plannedHeadBytes, ArenaTarget target) {
        int tensors = model.mainSubgraph().tensors().size();
        int ops = model.mainSubgraph().operators().size();
        int tail = align16(tensors * target.evalTensorBytes()) + align16(ops * target.nodeAndRegistrationBytes());
        int head = align16(plannedHeadBytes);
        return new ArenaReport(target, head, tail, head + tail);
    }

    static int align16(int bytes) {
        return (bytes + 15) & ~15;
    }
}
