package dev.mote.report;

import dev.mote.report.internal.HtmlPage;
import dev.mote.report.internal.ModelFacts;
import dev.mote.vocabulary.FileSet;
import dev.mote.vocabulary.FileWriteException;
import dev.mote.vocabulary.MoteException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One self-contained HTML page about a {@code .tflite} model that micro-runtime accepts (inline CSS and SVG, no
 * scripts, nothing loaded from the network): its operators with their input and output tensors (name, type, shape,
 * bytes, quantization), the arena timeline on the 64-bit host and the 32-bit Cortex-M ABI (which tensors are alive
 * at each operator, at which offsets, where the peak is) with head, tail and {@code arena_used_bytes} exactly as
 * {@link dev.mote.runtime.ArenaReport} states them, flash per constant tensor, and MACs per operator as
 * {@link dev.mote.vocabulary.Workload} counts them.
 *
 * <pre>{@code
 * HtmlReport.of(Path.of("micro_speech.tflite"))
 *         .title("micro speech")
 *         .writeTo(Path.of("micro_speech.html"));
 * String html = HtmlReport.of(modelBytes).html();
 * }</pre>
 *
 * <p>Instances are immutable; {@link #title} returns a new one. The model is analysed once, by {@code of}.
 */
public final class HtmlReport {
    private final ModelFacts facts;
    private final String title;

    private HtmlReport(ModelFacts facts, String title) {
        this.facts = facts;
        this.title = title;
    }

    /**
     * The report of a model's bytes, titled "model".
     *
     * @throws MoteException if micro-runtime does not accept the model (for instance
     *                       {@link dev.mote.runtime.InvalidModelException})
     */
    public static HtmlReport of(byte[] tflite) {
        Objects.requireNonNull(tflite, "tflite");
        return new HtmlReport(ModelFacts.of(tflite), "model");
    }

    /**
     * The report of a {@code .tflite} file, titled with the file's name.
     *
     * @throws ReportException if the file cannot be read or micro-runtime does not accept it (the message names the
     *                         file)
     */
    public static HtmlReport of(Path tflite) {
        Objects.requireNonNull(tflite, "tflite");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(tflite);
        } catch (NoSuchFileException e) {
            throw new ReportException("cannot read " + tflite + ": no such file; check the path of the .tflite model",
                    e);
        } catch (IOException e) {
            throw new ReportException("cannot read " + tflite + ": " + e.getMessage()
                    + "; check that it is a readable .tflite file", e);
        }
        try {
            return new HtmlReport(ModelFacts.of(bytes), String.valueOf(tflite.getFileName()));
        } catch (MoteException e) {
            throw new ReportException(tflite + " is not a model micro-runtime accepts: " + e.getMessage(), e);
        }
    }

    /** The same report with the page headed {@code title} (any text; it is escaped). */
    public HtmlReport title(String title) {
        return new HtmlReport(facts, Objects.requireNonNull(title, "title"));
    }

    /** The page, as one HTML document. */
    public String html() {
        return HtmlPage.render(facts, title);
    }

    /**
     * Writes the page to {@code file} (UTF-8), replacing it if it exists, all or nothing: a reader sees the old file
     * or the whole new one, never a part.
     *
     * @return {@code file}
     * @throws ReportException if the file cannot be written (the message names it and what to do)
     */
    public Path writeTo(Path file) {
        Objects.requireNonNull(file, "file");
        writeAllOrNothing(file, html().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** Writes {@code bytes} over {@code file} all or nothing, through the one file writer ({@link FileSet}). */
    private static void writeAllOrNothing(Path file, byte[] bytes) {
        try {
            new FileSet().add(file, bytes).write();
        } catch (FileWriteException e) {
            throw new ReportException(e.getMessage(), e);
        }
    }
}
