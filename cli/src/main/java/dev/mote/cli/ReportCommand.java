package dev.mote.cli;

import dev.mote.report.HtmlReport;
import dev.mote.runtime.InvalidModelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mote report MODEL --html FILE [--title TITLE]}: one self-contained HTML page about the model. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes one self-contained HTML page (inline CSS and SVG, no scripts, no network) about the "
                + "model: operators with their tensors, the TFLM arena timeline on host64 and cortex-m (offsets, "
                + "lifetimes, the peak, head/tail/arena_used_bytes), flash per tensor and MACs per operator.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Option(names = "--html", required = true, paramLabel = "FILE",
            description = "The HTML file to write (replaced if it exists; written all or nothing).")
    Path html;

    @Option(names = "--title", paramLabel = "TITLE", description = "The page's heading (default: the model's file "
            + "name).")
    String title;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HtmlReport report;
        try {
            report = HtmlReport.of(ModelFile.read(model).bytes());
        } catch (InvalidModelException e) {
            throw new CliException(model + " is not a model micro-runtime accepts: " + e.getMessage(), e);
        }
        Path written = report.title(title != null ? title : String.valueOf(model.getFileName())).writeTo(html);
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + written);
        out.flush();
        return 0;
    }
}
