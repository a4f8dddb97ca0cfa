/**
 * The TFLite words every Mote module shares: operators, padding, fused activations, tensor types, the converter's
 * quantization rules, the multiply-accumulates of an operator ({@link dev.mote.vocabulary.Workload}),
 * {@link dev.mote.vocabulary.MoteException}, and {@link dev.mote.vocabulary.FileSet} (files
 * written all or nothing with the umask's permissions). JDK only.
 */
module dev.mote.vocabulary {
    exports dev.mote.vocabulary;
}
