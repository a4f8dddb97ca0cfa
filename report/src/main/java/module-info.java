/**
 * Mote's HTML report: one self-contained page (inline CSS and SVG, no scripts, no network) per {@code .tflite}
 * model that micro-runtime accepts, with the operators and their tensors, TFLM's arena timeline on both ABIs, flash
 * per tensor and MACs per operator. The API is {@link dev.mote.report.HtmlReport} and
 * {@link dev.mote.report.ReportException}; {@code dev.mote.report.internal} may change at any time.
 */
module dev.mote.report {
    requires transitive dev.mote.runtime;

    exports dev.mote.report;
}
