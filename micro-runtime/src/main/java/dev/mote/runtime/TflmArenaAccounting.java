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
        // During Prepare TFLM holds temporary TfLiteTensor structs for each operator's inputs and outputs.
        int temp = 0;
        for (var op : model.mainSubgraph().operators()) {
            temp = Math.max(temp, (op.inputCount() + op.outputCount()) * target.tfLiteTensorBytes());
        }
        int io = (model.mainSubgraph().inputs().length + model.mainSubgraph().outputs().length)
                * target.tfLiteTensorBytes();
        return new ArenaReport(target, head, tail + io, head + tail + io + temp);
    }

    static int align16(int bytes) {
        return (bytes + 15) & ~15;
    }
}
