package dev.mote.cli;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelValidator;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.internal.memory.TflmMemoryPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import dev.mote.vocabulary.MoteException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mote inspect MODEL}: operators, tensors, flash and arena bytes, and the firmware's op resolver. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's operators (with versions), tensors (type, shape, quantization), flash bytes, "
                + "TFLM arena needs on both targets, the MicroMutableOpResolver lines a firmware needs, and the "
                + "warnings: what looks wrong in the model but runs, as it does in TFLM.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Spec
    CommandSpec spec;

    /**
     * The "warnings" section: what looks wrong but runs, as in TFLM. The kernels' findings need their prepare, so
     * the model is allocated (Cortex-M figures, the smallest arena TFLM needs); if that fails, only the model's own
     * findings are listed, with the reason.
     */
    private static void printWarnings(ModelFile file, PrintWriter out) {
        List<ModelWarning> warnings;
        String notPrepared = null;
        try {
            int arena = ArenaReport.of(file.model(), ArenaTarget.CORTEX_M).minimumArenaBytes();
            MicroInterpreter interpreter = new MicroInterpreter(file.bytes(), OpResolver.allBuiltins(), arena,
                    ArenaTarget.CORTEX_M);
            interpreter.allocateTensors();
            warnings = interpreter.warnings();
        } catch (MoteException e) {
            warnings = ModelValidator.warnings(file.model());
            notPrepared = e.getMessage();
        }
        out.printf(Locale.ROOT, "%nwarnings%n");
        if (warnings.isEmpty()) {
            out.printf(Locale.ROOT, "  none%n");
        }
        for (ModelWarning w : warnings) {
            out.printf(Locale.ROOT, "  warning: %s%n", w);
        }
        if (notPrepared != null) {
            out.printf(Locale.ROOT, "  (operators not checked: the model does not allocate: %s)%n", notPrepared);
        }
    }

    @Override
    public Integer call() {
        ModelFile file = ModelFile.read(model);
        Model m = file.model();
        PrintWriter out = spec.commandLine().getOut();
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
            out.printf(Locale.ROOT, "%noperators%n  %3s  %-24s %7s  %-20s %s%n", "#", "op", "version", "inputs",
                    "outputs");
            for (int i = 0; i < sg.operators().size(); i++) {
                Operator op = sg.operators().get(i);
                OperatorCode code = m.operatorCodes().get(op.opcodeIndex());
                out.printf(Locale.ROOT, "  %3d  %-24s %7d  %-20s %s%n", i, code.displayName(), code.version(),
                        Arrays.toString(op.inputs()), Arrays.toString(op.outputs()));
            }
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
        printWarnings(file, out);
        out.flush();
        return 0;
    }
}
