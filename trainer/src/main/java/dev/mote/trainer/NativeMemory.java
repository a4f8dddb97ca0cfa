package dev.mote.trainer;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps nd4j's off-heap garbage in check. nd4j frees an array's native buffer only when the garbage collector
 * collects the array's small Java object. DL4J leaves megabytes of such buffers behind per mini-batch (layer
 * activations and gradients outside workspaces, inference passes) but little Java garbage, so the heap seldom
 * fills, old collections seldom run, and the process grows by gigabytes: the Fashion-MNIST sample reached 8.4 GB
 * resident with a 2 GB heap. The training loop, the calibrator and the predictor call {@link #collectIfGrown()}
 * after each batch; it asks the JVM for a collection whenever the process's resident memory has grown by more than
 * {@link #HEADROOM_BYTES} since the last one, which costs a few milliseconds per collection on a small heap.
 */
final class NativeMemory {

    /** Growth of resident memory allowed before the first collection. */
    static final long HEADROOM_BYTES = 128L << 20;
    /** Growth beyond the level of the last collection allowed before the next one. */
    static final long MARGIN_BYTES = 32L << 20;

    private static long threshold = Pointer.physicalBytes() + HEADROOM_BYTES;

    private NativeMemory() {
    }

    /** Collects garbage if resident memory grew past the level of the last collection (plus a margin). */
    static synchronized void collectIfGrown() {
        long resident = Pointer.physicalBytes();
        if (resident > threshold) {
            System.gc();
            // The allocator keeps most freed buffers for reuse rather than returning them, so resident memory seldom
            // drops: new garbage fills the freed space first. Collect again only when it has outgrown this level.
            threshold = resident + MARGIN_BYTES;
        }
    }

    /** Frees the native buffers of arrays that own them (not views, not workspace arrays) now. */
    static void release(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
