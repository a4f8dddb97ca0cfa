package dev.mote.cli;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroTensor;
import dev.mote.vocabulary.TensorType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code mote run MODEL (--input FLOATS | --input-raw FILE | --input-file FILE)... [--arena BYTES] [--json]}. The
 * model's warnings ({@link dev.mote.runtime.MicroInterpreter#warnings()}) go to stderr, one {@code warning:} line
 * each, and into each JSON object's {@code warnings} (absent when there are none).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the model once per --input (or --input-raw) and print its outputs.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Option(names = "--arena", paramLabel = "BYTES",
            description = "Arena size (default: the smallest arena TFLM needs on the target).")
    Integer arena;

    @Option(names = "--target", paramLabel = "TARGET", converter = TargetConverter.class, defaultValue = "cortex-m",
            description = "ABI whose TFLM arena needs the arena must meet: host64 or cortex-m (default).")
    ArenaTarget target;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    static final class Inputs {
        @Option(names = "--input", paramLabel = "FLOATS", required = true,
                description = "Comma-separated real values for the inputs, in order (quantized with each input's "
                        + "scale and zero point; NaN, infinities and values outside what the input can represent "
                        + "are refused). Repeat for several invocations.")
        List<String> floats;

        @Option(names = {"--input-raw", "--input-file"}, paramLabel = "FILE", required = true,
                description = "A file with the raw bytes of all inputs back to back, in the model's input order "
                        + "(what tflm_run --input-file reads; it must hold exactly the inputs' bytes). Repeat for "
                        + "several invocations.")
        List<Path> raw;
    }

    @Option(names = "--json", description = "Print one JSON object per invocation, one per line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Session.checkArena(arena);
        Session session = Session.open(ModelFile.read(model), arena, target);
        PrintWriter out = spec.commandLine().getOut();
        Warnings.print(session.interpreter.warnings(), spec.commandLine().getErr());
        if (inputs.floats != null) {
            for (String text : inputs.floats) {
                session.setFloats(text);
                invokeAndPrint(session, out, "--input " + Session.summary(text));
            }
        } else {
            for (Path p : inputs.raw) {
                session.setRaw(readRaw(p), p.toString());
                invokeAndPrint(session, out, "--input-raw " + p);
            }
        }
        out.flush();
        return 0;
    }

    private static byte[] readRaw(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new CliException("cannot read " + p + ": no such file", e);
        } catch (IOException e) {
            throw new CliException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private void invokeAndPrint(Session session, PrintWriter out, String label) {
        session.interpreter.invoke();
        int n = session.interpreter.outputCount();
        if (json) {
            Json j = new Json().beginObject().name("outputs").beginArray();
            for (int i = 0; i < n; i++) {
                MicroTensor t = session.interpreter.output(i);
                j.beginObject().name("name").value(t.name()).name("type").value(t.type().name())
                        .name("shape").beginArray();
                for (int d : t.shape()) {
                    j.value(d);
                }
                j.endArray().name("raw").beginArray();
                if (t.type() == TensorType.FLOAT32) {
                    for (float v : t.toFloatArray()) {
                        j.value(v);
                    }
                } else {
                    for (int v : t.toIntArray()) {
                        j.value(v);
                    }
                }
                j.endArray().name("values").beginArray();
                for (float v : values(t)) {
                    j.value(v);
                }
                j.endArray().endObject();
            }
            j.endArray().name("arenaUsedBytes").value(session.interpreter.arenaUsedBytes());
            if (!session.interpreter.warnings().isEmpty()) { // absent for a clean model: the JSON stays as it was
                Warnings.json(j.name("warnings"), session.interpreter.warnings());
            }
            out.println(j.endObject());
        } else {
            out.println(label);
            for (int i = 0; i < n; i++) {
                MicroTensor t = session.interpreter.output(i);
                out.printf(Locale.ROOT, "  output %d '%s' %s%s%n", i, t.name(), t.type(), Arrays.toString(t.shape()));
                if (t.type() != TensorType.FLOAT32) {
                    out.println("    raw    " + Arrays.toString(t.toIntArray()));
                }
                out.println("    values " + Arrays.toString(values(t)));
            }
        }
    }

    /** Real values: floats as they are, quantized integers dequantized, plain integers as they are. */
    static float[] values(MicroTensor t) {
        if (t.type() == TensorType.FLOAT32 || t.quantization().isQuantized()) {
            return t.toFloatArray();
        }
        int[] raw = t.toIntArray();
        float[] f = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            f[i] = raw[i];
        }
        return f;
    }
}
