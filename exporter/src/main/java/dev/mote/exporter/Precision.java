package dev.mote.exporter;

import dev.mote.vocabulary.TensorType;

/** The arithmetic of an exported model. */
public enum Precision {
    /** Full-integer int8 (int8 activations and weights, int32 bias): what TFLM runs on microcontrollers. */
    INT8,
    /**
     * TFLite's 16x8 mode: int16 symmetric activations (zero point 0), int8 weights exactly as {@link #INT8}
     * (per channel for convolutions), int64 bias; about 256 times finer activations for twice their RAM. What the
     * TF converter writes with {@code EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8}.
     */
    INT16X8,
    /** float32 throughout: for reference runs and for targets with an FPU and memory to spare. */
    FLOAT32;

    /** The type of the activation tensors: INT8, INT16 or FLOAT32. */
    public TensorType activationType() {
        return switch (this) {
            case INT8 -> TensorType.INT8;
            case INT16X8 -> TensorType.INT16;
            case FLOAT32 -> TensorType.FLOAT32;
        };
    }

    /** True for the integer precisions (INT8, INT16X8). */
    public boolean quantized() {
        return this != FLOAT32;
    }
}
