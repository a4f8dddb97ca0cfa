package dev.mote.runtime.internal.kernels;

/**
 * An int8 convolution fast path prepared for one node (constant filter and bias, repacked once): runs the whole
 * node from the input bytes to the output bytes, bit-exact with TFLM's reference kernel.
 */
interface Int8ConvolutionPath {
    /** Computes every output of the node; {@code in[inBase]} and {@code out[outPos]} are element 0. */
    void run(byte[] in, int inBase, byte[] out, int outPos);

    /** Approximate Java heap bytes this path allocated at prepare (reported in BENCHMARKS.md). */
    long heapBytes();
}
