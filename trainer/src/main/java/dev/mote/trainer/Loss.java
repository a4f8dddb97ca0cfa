package dev.mote.trainer;

/** The training loss. */
public enum Loss {
    /** Softmax cross-entropy if the model ends in a softmax, binary cross-entropy if it ends in a sigmoid, else MSE. */
    AUTO,
    /** Mean squared error (regression). */
    MSE,
    /** Mean absolute error (regression). */
    MAE,
    /** Cross-entropy over a softmax (one-hot labels) or sigmoid (0/1 labels) output. */
    CROSS_ENTROPY
}
