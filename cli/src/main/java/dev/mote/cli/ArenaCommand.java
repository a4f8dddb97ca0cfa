package dev.mote.cli;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mote arena MODEL [--target host64|cortex-m] [--json]}: the TFLM arena report. */
@Command(name = "arena", mixinStandardHelpOptions = true,
        description = "The arena TFLM needs for the model (reference kernels): planned head, persistent tail, "
                + "arena_used_bytes, the smallest arena that allocates, and the peak's largest tensors.")
final class ArenaCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Option(names = "--target", paramLabel = "TARGET", converter = TargetConverter.class,
            description = "host64 or cortex-m (default: both).")
    ArenaTarget target;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelFile file = ModelFile.read(model);
        List<ArenaReport> reports = new ArrayList<>();
        for (ArenaTarget t : target == null ? ArenaTarget.values() : new ArenaTarget[] {target}) {
            reports.add(ArenaReport.of(file.model(), t));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json j = new Json().beginObject().name("model").value(model.toString()).name("reports").beginArray();
            for (ArenaReport r : reports) {
                write(j, r);
            }
            out.println(j.endArray().endObject());
        } else {
            out.println("model " + model);
            for (ArenaReport r : reports) {
                out.print(r.toText());
            }
        }
        out.flush();
        return 0;
    }

    /** The report as a JSON object. */
    static void write(Json j, ArenaReport r) {
        j.beginObject()
                .name("target").value(r.target().cliName())
                .name("headBytes").value(r.headBytes())
                .name("tailBytes").value(r.tailBytes())
                .name("arenaUsedBytes").value(r.usedBytes())
                .name("minimumArenaBytes").value(r.minimumArenaBytes())
                .name("limitedBy").value(r.limitedBy())
                .name("peakAllocationBytes").value(r.peakAllocationBytes())
                .name("peakOperator").value(r.peakOperator())
                .name("peakTensors").beginArray();
        for (ArenaReport.BufferUse b : r.peakTensors()) {
            j.beginObject().name("name").value(b.name()).name("tensor").value(b.tensor())
                    .name("bytes").value(b.bytes()).name("offset").value(b.offset()).endObject();
        }
        j.endArray().name("tail").beginArray();
        for (ArenaReport.TailItem t : r.tail()) {
            j.beginObject().name("category").value(t.category()).name("what").value(t.what())
                    .name("bytes").value(t.bytes()).endObject();
        }
        j.endArray().name("exact").value(r.exact()).name("estimatedOps").beginArray();
        for (String op : r.estimatedOps()) {
            j.value(op);
        }
        j.endArray().endObject();
    }
}
