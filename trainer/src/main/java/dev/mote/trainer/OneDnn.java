package dev.mote.trainer;

/**
 * Turns on DL4J's oneDNN layer helpers (convolution, subsampling, batch normalization) before the trainer builds a
 * network. DL4J 1.0.0-M2.1 creates them only if the system property {@value #DISABLE_PROPERTY} is {@code false}
 * (its default is {@code true}) and its availability check can find nd4j's environment under its old class name
 * (see {@link org.nd4j.nativeblas.Nd4jCpu}). Without them every convolution ran as im2col + gemm: on the
 * Fashion-MNIST sample's CNN a training step took 3–4× the CPU time, inference about 10×. A value the user set
 * ({@code -Dorg.eclipse.deeplearning4j.helpers.disable=true}) is left alone.
 */
final class OneDnn {

    static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnn() {
    }

    /** Lets DL4J layers created from now on use oneDNN, unless the user disabled helpers explicitly. */
    static void enableHelpers() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }
}
