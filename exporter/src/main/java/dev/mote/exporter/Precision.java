package dev.mote.exporter;

/** The arithmetic of an exported model. */
public enum Precision {
    /** Full-integer int8 (int8 activations and weights, int32 bias): what TFLM runs on microcontrollers. */
    INT8,
    /** float32 throughout: for reference runs and for targets with an FPU and memory to spare. */
    FLOAT32
}
