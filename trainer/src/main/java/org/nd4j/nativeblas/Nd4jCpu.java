package org.nd4j.nativeblas;

/**
 * Mote's bridge for a class name DL4J 1.0.0-M2.1 still looks up. DL4J's oneDNN layer helpers (convolution,
 * subsampling, batch normalization) ask {@code BaseMKLDNNHelper.mklDnnEnabled()}, which calls
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} by reflection; nd4j M2.1 moved that
 * class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and renamed the method {@code isUseONEDNN}, so the
 * lookup failed and DL4J silently fell back to im2col + gemm for every convolution (3–4× the CPU time of a
 * training step of the Fashion-MNIST sample). This class answers the old question with the new binding. Nothing in
 * nd4j M2.1 defines this name; only the reflective lookup uses it. See {@code dev.mote.trainer.OneDnn}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old name of nd4j's native environment, as DL4J's oneDNN helpers query it. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded nd4j native build uses oneDNN. */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
