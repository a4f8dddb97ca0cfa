package dev.mote.cli;

import dev.mote.vocabulary.MoteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * The {@code mote} command: inspect, run, size the arena of, time, generate C for and report on any {@code .tflite}
 * model.
 *
 * <pre>{@code
 * int exit = Mote.commandLine(out, err).execute("arena", "model.tflite", "--target", "cortex-m");
 * }</pre>
 */
@Command(name = "mote", mixinStandardHelpOptions = true, version = "mote 0.1.0",
        description = "Inspect, run, size the TFLM arena of, and time TensorFlow Lite models on the JVM.",
        subcommands = {InspectCommand.class, RunCommand.class, ArenaCommand.class, BenchCommand.class, CodegenCommand.class,
                ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class Mote implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (inspect, run, arena, bench, codegen, report)");
    }

    /** A configured command line writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Mote root = new Mote();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter e = cmd.getErr();
            e.println("mote: " + describe(ex));
            if (root.verbose) {
                ex.printStackTrace(e);
            }
            e.flush();
            return ex instanceof CliException || ex instanceof MoteException ? 1 : 3;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter e = cmd.getErr();
            e.println("mote: " + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            if (root.verbose) {
                ex.printStackTrace(e);
            }
            e.flush();
            return 2;
        });
        return cl;
    }

    private static String describe(Exception ex) {
        if (ex instanceof CliException || ex instanceof MoteException) {
            return ex.getMessage();
        }
        return "internal error: " + ex + (ex.getCause() != null ? " (caused by " + ex.getCause() + ")" : "")
                + "; run with --verbose for the stack trace";
    }
}
