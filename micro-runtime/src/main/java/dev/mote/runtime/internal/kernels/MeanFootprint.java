package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.NodeContext;

/**
 * MEAN's arena footprint alone ({@link Mean#declareFootprint}), for a MEAN node Mote's kernel refuses but TFLM
 * prepares the same way (int16 input was one until the kernel computed it; the footprint stays declared here).
 */
final class MeanFootprint extends FootprintOnlyKernel {
    @Override
    public void prepare(NodeContext node) {
        Mean.declareFootprint(node);
    }
}
