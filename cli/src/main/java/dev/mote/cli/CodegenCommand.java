package dev.mote.cli;

import dev.mote.codegen.CCodeGenerator;
import dev.mote.codegen.CodegenException;
import dev.mote.codegen.GeneratedC;
import dev.mote.runtime.ModelWarning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mote codegen MODEL --out DIR [--name NAME]}: the model as standalone C99. */
@Command(name = "codegen", mixinStandardHelpOptions = true,
        description = "Writes the model as standalone C99 (NAME.h, NAME.c: NAME_invoke, the weights as constants, one "
                + "static arena), computing what TFLM's reference kernels compute, without TFLM.")
final class CodegenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .tflite file.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for NAME.h and NAME.c.")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "model",
            description = "C name of the model: files NAME.h/NAME.c, function NAME_invoke (default: ${DEFAULT-VALUE}).")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelFile file = ModelFile.read(model);
        CCodeGenerator generator = CCodeGenerator.forModel(file.bytes());
        try {
            generator.name(name);
        } catch (CodegenException e) { // the one rule for C names is the generator's: a bad --name is a usage error
            throw new UsageException("--name: " + e.getMessage());
        }
        GeneratedC c = generator.generate();
        List<Path> written = c.writeTo(out);
        PrintWriter o = spec.commandLine().getOut();
        for (ModelWarning w : c.warnings()) {
            spec.commandLine().getErr().println("warning: " + w);
        }
        String u = name.toUpperCase(Locale.ROOT);
        o.printf(Locale.ROOT, "wrote %s and %s%n", written.get(0), written.get(1));
        o.printf(Locale.ROOT, "%s_INPUT_BYTES %d, %s_OUTPUT_BYTES %d, %s_ARENA_BYTES %d%n", u, c.inputBytes(), u,
                c.outputBytes(), u, c.arenaBytes());
        o.printf(Locale.ROOT, "call: int %s_invoke(const void *input, void *output); /* 0 on success */%n", name);
        o.flush();
        return 0;
    }
}
