package dev.mote.exporter;

import dev.mote.vocabulary.MoteException;

/**
 * The model cannot be exported as asked: a layer the converter cannot lower, parameters that do not match the
 * {@link dev.mote.dsl.ModelSpec} (wrong weight count, missing range), or a name that is not a C identifier. The
 * message names the node (index and name) and the rule that failed.
 */
public class ExportException extends MoteException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
