package dev.mote.cli;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelValidator;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorWorkload;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.Workload;
import dev.mote.runtime.internal.memory.TflmMemoryPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import dev.mote.vocabulary.MoteException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code mote inspect MODEL [--json]}: operators (with their multiply-accumulates, counted by
 * {@link dev.mote.vocabulary.Workload}), tensors, flash and arena bytes, and the firmware's op resolver.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's operators (with versions and MACs), tensors (type, shape, quantization), "
                + "flash bytes, "
                + "TFLM arena needs on both targets, the MicroMutableOpResolver lines a firmware needs, and the "
                + "warnings: what looks wrong in the model but runs, as it does in TFLM.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object: the model, its operators (with MACs), "
            + "tensors, the arena on both targets, the op resolver lines and the warnings.")
    boolean json;

    /**
     * The model's warnings: what looks wrong but runs, as in TFLM. The kernels' findings need their prepare, so the
     * model is allocated (Cortex-M figures, the smallest arena TFLM needs); if that fails, only the model's own
     * findings are listed, with the reason ({@code notPrepared}, else {@code null}).
     */
    private record Findings(List<ModelWarning> warnings, String notPrepared) {
        static Findings of(ModelFile file) {
            try {
                int arena = ArenaReport.of(file.model(), ArenaTarget.CORTEX_M).minimumArenaBytes();
                MicroInterpreter interpreter = new MicroInterpreter(file.bytes(), OpResolver.allBuiltins(), arena,
                        ArenaTarget.CORTEX_M);
                interpreter.allocateTensors();
                return new Findings(interpreter.warnings(), null);
            } catch (MoteException e) {
                return new Findings(ModelValidator.warnings(file.model()), e.getMessage());
            }
        }
    }

    /** The "warnings" section. */
    private static void printWarnings(Findings findings, PrintWriter out) {
        out.printf(Locale.ROOT, "%nwarnings%n");
        if (findings.warnings().isEmpty()) {
            out.printf(Locale.ROOT, "  none%n");
        }
        for (ModelWarning w : findings.warnings()) {
            out.printf(Locale.ROOT, "  warning: %s%n", w);
        }
        if (findings.notPrepared() != null) {
            out.printf(Locale.ROOT, "  (operators not checked: the model does not allocate: %s)%n",
                    findings.notPrepared());
        }
    }

    /** The MACs of each operator of {@code sg}, in order (empty: not counted). */
    private static List<OptionalLong> macs(Model m, Subgraph sg) {
        List<OptionalLong> out = new ArrayList<>();
        for (Operator op : sg.operators()) {
            out.add(OperatorWorkload.macs(m, sg, op));
        }
        return out;
    }

    /** The operators whose MACs are not counted, {@code #2 LSTM, #5 CUSTOM(x)}; empty if all are. */
    private static List<String> uncounted(Model m, Subgraph sg, List<OptionalLong> macs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < macs.size(); i++) {
            if (macs.get(i).isEmpty()) {
                out.add("#" + i + " " + m.operatorCodes().get(sg.operators().get(i).opcodeIndex()).displayName());
            }
        }
        return out;
    }

    @Override
    public Integer call() {
        ModelFile file = ModelFile.read(model);
        Model m = file.model();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(file));
            out.flush();
            return 0;
        }
        long constantBytes = 0;
        int constants = 0;
        for (Subgraph sg : m.subgraphs()) {
            for (Tensor t : sg.tensors()) {
                if (TflmMemoryPlan.isConstant(m, t)) {
                    constantBytes += m.buffer(t.buffer()).length();
                    constants++;
                }
            }
        }
        out.printf(Locale.ROOT, "model     %s%n", model);
        out.printf(Locale.ROOT, "flash     %,d bytes (the .tflite file; %,d bytes of constant data in %d tensors)%n",
                file.bytes().length, constantBytes, constants);
        out.printf(Locale.ROOT, "schema    version %d%s%n", m.version(), m.description().isEmpty() ? ""
                : ", \"" + m.description() + "\"");
        for (int g = 0; g < m.subgraphs().size(); g++) {
            Subgraph sg = m.subgraphs().get(g);
            out.printf(Locale.ROOT, "%nsubgraph %d%s: %d tensors, %d operators, inputs %s, outputs %s%n", g,
                    sg.name().isEmpty() ? "" : " '" + sg.name() + "'", sg.tensors().size(), sg.operators().size(),
                    Arrays.toString(sg.inputs()), Arrays.toString(sg.outputs()));
            List<OptionalLong> macs = macs(m, sg);
            int opWidth = 24;
            for (Operator op : sg.operators()) {
                opWidth = Math.max(opWidth, m.operatorCodes().get(op.opcodeIndex()).displayName().length());
            }
            String opColumn = "%-" + opWidth + "s";
            out.printf(Locale.ROOT, "%noperators%n  %3s  " + opColumn + " %7s %13s  %-20s %s%n", "#", "op", "version",
                    "MACs", "inputs", "outputs");
            for (int i = 0; i < sg.operators().size(); i++) {
                Operator op = sg.operators().get(i);
                OperatorCode code = m.operatorCodes().get(op.opcodeIndex());
                out.printf(Locale.ROOT, "  %3d  " + opColumn + " %7d %13s  %-20s %s%n", i, code.displayName(),
                        code.version(),
                        macs.get(i).isPresent() ? String.format(Locale.ROOT, "%,d", macs.get(i).getAsLong()) : "?",
                        Arrays.toString(op.inputs()), Arrays.toString(op.outputs()));
            }
            List<String> uncounted = uncounted(m, sg, macs);
            out.printf(Locale.ROOT, "  total MACs %,d per invocation%s%n", Workload.total(macs),
                    uncounted.isEmpty() ? "" : " or more (not counted: " + String.join(", ", uncounted) + ")");
            out.printf(Locale.ROOT, "%ntensors%n  %3s  %-8s %-16s %-36s %-16s %s%n", "#", "type", "shape",
                    "quantization", "storage", "name");
            for (int t = 0; t < sg.tensors().size(); t++) {
                Tensor decl = sg.tensor(t);
                String storage = TflmMemoryPlan.isConstant(m, decl)
                        ? String.format(Locale.ROOT, "flash %,d B", m.buffer(decl.buffer()).length())
                        : (decl.isVariable() ? "variable " : "arena ")
                        + String.format(Locale.ROOT, "%,d B", TflmMemoryPlan.tensorBytes(decl));
                out.printf(Locale.ROOT, "  %3d  %-8s %-16s %-36s %-16s %s%n", t, decl.type(),
                        Arrays.toString(decl.shape()), decl.quantization().toString(), storage, decl.name());
            }
        }
        out.printf(Locale.ROOT, "%narena (TFLM, reference kernels, 16-byte aligned arena)%n");
        out.printf(Locale.ROOT, "  %-9s %10s %10s %17s %15s%n", "target", "head", "tail", "arena_used_bytes",
                "smallest arena");
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport r = ArenaReport.of(m, target);
            out.printf(Locale.ROOT, "  %-9s %,10d %,10d %,17d %,15d%s%n", target.cliName(), r.headBytes(),
                    r.tailBytes(), r.usedBytes(), r.minimumArenaBytes(), r.exact() ? "" : "  (estimated: "
                            + String.join(", ", r.estimatedOps()) + ")");
        }
        out.printf(Locale.ROOT, "%nop resolver (firmware)%n");
        for (String line : OpResolverCode.lines(m)) {
            out.printf(Locale.ROOT, "  %s%n", line);
        }
        printWarnings(Findings.of(file), out);
        out.flush();
        return 0;
    }

    /**
     * The JSON object of {@code --json}: {@code model}, {@code fileBytes}, {@code schemaVersion}, {@code description},
     * {@code macs} and {@code macsComplete} (of subgraph 0, the one an invocation runs), {@code subgraphs} (each
     * with its {@code operators} (index, op, version, inputs, outputs, macs: {@code null} when not counted),
     * {@code tensors} (index, name, type, shape, quantization: {@code null} or scales, zeroPoints, axis; storage:
     * flash, arena or variable; bytes) and its own {@code macs}, {@code macsComplete}), {@code arena} (one object
     * per target, as {@code mote arena --json} writes them), {@code opResolver} (the firmware's lines),
     * {@code warnings} and {@code operatorsChecked} (false when the model does not allocate, with
     * {@code notCheckedBecause}).
     */
    private String json(ModelFile file) {
        Model m = file.model();
        Json j = new Json().beginObject().name("model").value(model.toString())
                .name("fileBytes").value(file.bytes().length)
                .name("schemaVersion").value(m.version())
                .name("description").value(m.description());
        List<OptionalLong> mainMacs = m.subgraphs().isEmpty() ? List.of() : macs(m, m.subgraphs().get(0));
        j.name("macs").value(Workload.total(mainMacs))
                .name("macsComplete").value(mainMacs.stream().allMatch(OptionalLong::isPresent));
        j.name("subgraphs").beginArray();
        for (int g = 0; g < m.subgraphs().size(); g++) {
            Subgraph sg = m.subgraphs().get(g);
            List<OptionalLong> macs = macs(m, sg);
            j.beginObject().name("index").value(g).name("name").value(sg.name()).name("inputs");
            ints(j, sg.inputs());
            j.name("outputs");
            ints(j, sg.outputs());
            j.name("macs").value(Workload.total(macs))
                    .name("macsComplete").value(macs.stream().allMatch(OptionalLong::isPresent))
                    .name("operators").beginArray();
            for (int i = 0; i < sg.operators().size(); i++) {
                Operator op = sg.operators().get(i);
                OperatorCode code = m.operatorCodes().get(op.opcodeIndex());
                j.beginObject().name("index").value(i).name("op").value(code.displayName())
                        .name("version").value(code.version()).name("inputs");
                ints(j, op.inputs());
                j.name("outputs");
                ints(j, op.outputs());
                j.name("macs");
                if (macs.get(i).isPresent()) {
                    j.value(macs.get(i).getAsLong());
                } else {
                    j.value((String) null);
                }
                j.endObject();
            }
            j.endArray().name("tensors").beginArray();
            for (int t = 0; t < sg.tensors().size(); t++) {
                Tensor decl = sg.tensor(t);
                boolean constant = TflmMemoryPlan.isConstant(m, decl);
                j.beginObject().name("index").value(t).name("name").value(decl.name())
                        .name("type").value(decl.type().name()).name("shape");
                ints(j, decl.shape());
                j.name("quantization");
                quantization(j, decl.quantization());
                j.name("storage").value(constant ? "flash" : decl.isVariable() ? "variable" : "arena")
                        .name("bytes").value(constant ? m.buffer(decl.buffer()).length()
                                : TflmMemoryPlan.tensorBytes(decl))
                        .endObject();
            }
            j.endArray().endObject();
        }
        j.endArray().name("arena").beginArray();
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaCommand.write(j, ArenaReport.of(m, target));
        }
        j.endArray().name("opResolver").beginArray();
        for (String line : OpResolverCode.lines(m)) {
            j.value(line);
        }
        Findings findings = Findings.of(file);
        j.endArray().name("warnings");
        Warnings.json(j, findings.warnings());
        j.name("operatorsChecked").value(findings.notPrepared() == null);
        if (findings.notPrepared() != null) {
            j.name("notCheckedBecause").value(findings.notPrepared());
        }
        return j.endObject().toString();
    }

    private static void ints(Json j, int[] values) {
        j.beginArray();
        for (int v : values) {
            j.value(v);
        }
        j.endArray();
    }

    private static void quantization(Json j, Quantization q) {
        if (!q.isQuantized()) {
            j.value((String) null);
            return;
        }
        j.beginObject().name("scales").beginArray();
        for (float s : q.scales()) {
            j.value(s);
        }
        j.endArray().name("zeroPoints").beginArray();
        for (long z : q.zeroPoints()) {
            j.value(z);
        }
        j.endArray().name("axis").value(q.quantizedDimension()).endObject();
    }
}
