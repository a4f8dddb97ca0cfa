package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;

/**
 * What CONV_2D and DEPTHWISE_CONV_2D share at invoke: an int8 node with a constant filter and bias runs its
 * prepared {@link Int8ConvolutionPath}; any other node (float32, 16x8, a filter or bias computed by the graph,
 * grouped convolution) runs the kernel's general loops over the tensors' bytes.
 */
public abstract class ConvolutionKernel implements Kernel {
    /** Set by the subclass's prepare. */
    ConvolutionOperands operands;
    /** Set by the subclass's prepare when the node qualifies, else {@code null}. */
    Int8ConvolutionPath fastPath;

    @Override
    public final void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        if (fastPath != null) {
            fastPath.run(input.data(), input.dataOffset(), output.data(), output.dataOffset());
            return;
        }
        MicroTensor filter = node.input(1);
        MicroTensor bias = operands.hasBias ? node.input(2) : null;
        byte[] b = bias == null ? null : bias.data();
        int bBase = bias == null ? 0 : bias.dataOffset();
        if (operands.int16 != null) {
            invokeInt16(input.data(), input.dataOffset(), filter.data(), filter.dataOffset(), b, bBase,
                    output.data(), output.dataOffset());
        } else if (operands.quantized) {
            invokeInt8(input.data(), input.dataOffset(), filter.data(), filter.dataOffset(), b, bBase, output.data(),
                    output.dataOffset());
        } else {
            invokeFloat(input.data(), input.dataOffset(), filter.data(), filter.dataOffset(), b, bBase,
                    output.data(), output.dataOffset());
        }
    }

    /**
     * TFLM's {@code OpDataConv} (CONV_2D and DEPTHWISE_CONV_2D): padding, input/filter/output zero points, output
     * multiplier and shift, per-channel multiplier and shift pointers, activation min/max, filter_buffer_index.
     */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).struct(ConvolutionGeometry.paddingValues(abi)).int32s(5).pointers(2).int32s(3).build();
    }

    /**
     * What TFLM's {@code ConvPrepare}/{@code DepthwiseConvPrepare} allocate, in order: the {@code Init}'s
     * {@code OpDataConv}; temporary output, input and filter tensors; per-channel output multipliers and shifts
     * (one int32 each per output channel, float or int8 alike); then {@code CalculateOpDataConv}'s temporary input,
     * filter, bias and output tensors.
     */
    static void allocateAsTflm(NodeContext node, int outputChannels) {
        node.allocateOpData(opData(node.abi()));
        node.allocateTempOutputTensor(0);
        node.allocateTempInputTensor(0);
        node.allocateTempInputTensor(1);
        node.allocatePersistentBuffer("per-channel output multipliers", 4L * outputChannels);
        node.allocatePersistentBuffer("per-channel output shifts", 4L * outputChannels);
        node.allocateTempInputTensor(0);
        node.allocateTempInputTensor(1);
        node.allocateTempInputTensor(2);
        node.allocateTempOutputTensor(0);
    }

    /** True when an int8 node's filter and bias are model constants, so they can be repacked at prepare. */
    static boolean constantWeights(MicroTensor filter, MicroTensor bias) {
        return filter.isConstant() && filter.hasData() && (bias == null || (bias.isConstant() && bias.hasData()));
    }

    /** Java heap bytes the int8 fast path of this node holds (0 without one). */
    @Override
    public final long heapBytes() {
        return fastPath == null ? 0 : fastPath.heapBytes();
    }

    /**
     * What prepare derived for an int8 node (the C code generator emits these constants), or null for float32.
     * Shapes are NHWC; the filter is {@code [outDepth, fh, fw, filterDepth]} (CONV_2D) or
     * {@code [1, fh, fw, outDepth]} (DEPTHWISE_CONV_2D, {@code depthMultiplier} outputs per input channel).
     */
    public abstract Int8Parameters int8Parameters();

    /** The int8 arithmetic and geometry of one prepared convolution, as the general int8 loops run it. */
    public record Int8Parameters(int batches, int inHeight, int inWidth, int inDepth, int outHeight, int outWidth,
                                 int outDepth, int filterHeight, int filterWidth, int filterDepth,
                                 int strideHeight, int strideWidth, int dilationHeight, int dilationWidth,
                                 int padHeight, int padWidth, int depthMultiplier, int inputOffset, int outputOffset,
                                 int[] multipliers, int[] shifts, int actMin, int actMax) {
    }

    /** The parameters of {@code geometry} and the operands, for a subclass's {@link #int8Parameters()}. */
    final Int8Parameters int8Parameters(ConvolutionGeometry g, int batches, int inDepth, int outDepth,
                                        int filterDepth, int depthMultiplier) {
        if (operands == null || !operands.quantized) {
            return null;
        }
        return new Int8Parameters(batches, g.inHeight(), g.inWidth(), inDepth, g.outHeight(), g.outWidth(),
                outDepth, g.filterHeight(), g.filterWidth(), filterDepth, g.strideHeight(), g.strideWidth(),
                g.dilationHeight(), g.dilationWidth(), g.padHeight(), g.padWidth(), depthMultiplier,
                operands.inputOffset, operands.outputOffset, operands.multipliers.clone(), operands.shifts.clone(),
                operands.actMin, operands.actMax);
    }

    /** The general int8 loops; {@code b == null} without bias. */
    abstract void invokeInt8(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                             int outPos);

    /** The 16x8 loops (int16 input and output, int8 filter), finished by {@code operands.int16}. */
    abstract void invokeInt16(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                              int outBase);

    /** The float32 loops; {@code b == null} without bias. */
    abstract void invokeFloat(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                              int outPos);
}
