package dev.mote.runtime;

/**
 * The ABI whose TFLM arena figures Mote reports: the sizes of TFLM's bookkeeping structs differ between a 64-bit
 * host build and a 32-bit Cortex-M build (figures measured on real TFLM builds).
 */
public enum ArenaTarget {
    /** x86-64 / aarch64 host build of TFLM. */
    HOST_64(8, 64, 24, 64),
    /** 32-bit Cortex-M build (arm-none-eabi-gcc, reference kernels). */
    CORTEX_M(4, 32, 12, 32);

    private final int pointerBytes;
    private final int tfLiteTensorBytes;
    private final int evalTensorBytes;
    private final int nodeAndRegistrationBytes;

    ArenaTarget(int pointerBytes, int tfLiteTensorBytes, int evalTensorBytes, int nodeAndRegistrationBytes) {
        this.pointerBytes = pointerBytes;
        this.tfLiteTensorBytes = tfLiteTensorBytes;
        this.evalTensorBytes = evalTensorBytes;
        this.nodeAndRegistrationBytes = nodeAndRegistrationBytes;
    }

    public int pointerBytes() {
        return pointerBytes;
    }

    /** {@code sizeof(TfLiteTensor)}. */
    public int tfLiteTensorBytes() {
        return tfLiteTensorBytes;
    }

    /** {@code sizeof(TfLiteEvalTensor)}. */
    public int evalTensorBytes() {
        return evalTensorBytes;
    }

    /** {@code sizeof(NodeAndRegistration)}. */
    public int nodeAndRegistrationBytes() {
        return nodeAndRegistrationBytes;
    }
}
