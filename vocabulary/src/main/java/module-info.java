/**
 * The TFLite words every Mote module shares: operators, padding, fused activations, tensor types, the converter's
 * quantization rules, and {@link dev.mote.vocabulary.MoteException}. JDK only.
 */
module dev.mote.vocabulary {
    exports dev.mote.vocabulary;
}
