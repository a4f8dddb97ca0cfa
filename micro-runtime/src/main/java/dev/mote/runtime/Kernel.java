package dev.mote.runtime;

/**
 * The implementation of one builtin operator for one node of the graph, like a TFLM kernel's registration:
 * {@link #prepare} runs once at {@code allocateTensors()} (validate options, types and shapes; compute
 * multipliers; declare the arena allocations, scratch included), {@link #invoke} on every inference. One
 * instance per node, so a kernel may keep what prepare computed in fields. Kernels live in
 * {@code dev.mote.runtime.internal.kernels}, one class per op.
 *
 * <p>A kernel belongs to its interpreter's thread: {@link #prepare} and {@link #invoke} are never called
 * concurrently, and only there do {@link MicroTensor#data()} and {@link NodeContext#arena()} hand out the live
 * arrays. Refuse a node with a typed Mote exception ({@link NodeContext#fail}); any other exception from
 * {@code prepare} is reported as a bug in the kernel ({@link KernelFailureException}).
 */
public interface Kernel {

    /**
     * Checks the node and precomputes what invoke needs, and declares what the op's TFLM kernel allocates in the
     * arena (see {@link NodeContext}): that declaration is all the arena accounting knows of the operator. Tensor
     * data is only available for constant tensors here, and prepare may run against a recording context that is
     * never invoked (for {@link ArenaReport}). Refuse bad input with {@link NodeContext#fail(String, String)}.
     */
    void prepare(NodeContext node);

    /** Computes the outputs from the inputs. Must not allocate on the hot path where it can be avoided. */
    void invoke(NodeContext node);

    /**
     * Approximate Java heap bytes this kernel allocated in {@link #prepare} for speed (repacked filters, tables),
     * outside the arena and outside what TFLM allocates; 0 for most kernels.
     */
    default long heapBytes() {
        return 0;
    }
}
