package dev.mote.report;

import dev.mote.vocabulary.MoteException;

/**
 * The report could not be made or written: the message names the file and what to do about it.
 *
 * <pre>{@code
 * try {
 *     HtmlReport.of(Path.of("model.tflite")).writeTo(Path.of("out/model.html"));
 * } catch (ReportException e) {
 *     System.err.println(e.getMessage()); // "cannot write out/model.html: folder out does not exist; ..."
 * }
 * }</pre>
 */
public class ReportException extends MoteException {
    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
