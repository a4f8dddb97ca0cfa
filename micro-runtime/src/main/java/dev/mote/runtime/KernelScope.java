package dev.mote.runtime;

/**
 * Which thread, if any, is inside a kernel's {@code prepare} or {@code invoke} of one interpreter right now. The
 * live byte arrays behind {@link MicroTensor#data()} and {@link NodeContext#arena()} are handed out only inside
 * that scope, so that code outside a kernel (the caller of the interpreter, an {@link OperatorListener}) can read
 * and write tensors only through the checked accessors and cannot corrupt constants or the arena.
 */
final class KernelScope {
    private Thread kernelThread;

    /** Marks the current thread as running a kernel until {@link #exit()}. */
    void enter() {
        kernelThread = Thread.currentThread();
    }

    void exit() {
        kernelThread = null;
    }

    /** True if the calling thread is inside a kernel of this interpreter. */
    boolean isInside() {
        return kernelThread == Thread.currentThread();
    }
}
