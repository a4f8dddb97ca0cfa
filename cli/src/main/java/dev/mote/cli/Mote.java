package dev.mote.cli;

import dev.mote.vocabulary.MoteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mote} command: inspect, run, size the arena of, time, generate C for and report on any {@code .tflite}
 * model. Exit codes: 0 done, 1 the model or a file is wrong (a {@link CliException} or {@link MoteException}), 2 a
 * usage error (picocli's own, an unknown or missing command, or a {@link UsageException}: an option value or input
 * the command does not allow), 3 an internal error.
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
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; commands: " + String.join(", ", commandNames(spec.commandLine())));
    }

    /**
     * The names of {@code root}'s commands in the order they are registered, without {@code help} (a command about
     * the others), hidden commands and aliases: what the "unknown command" and "missing command" messages list.
     */
    static List<String> commandNames(CommandLine root) {
        List<String> names = new ArrayList<>();
        for (CommandLine sub : root.getSubcommands().values()) {
            String name = sub.getCommandName();
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand) && !sub.getCommandSpec().usageMessage().hidden()
                    && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** True if {@code ex} is the root command meeting a word that is no option and names no command. */
    private static boolean isUnknownCommand(CommandLine.ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        return ex instanceof CommandLine.UnmatchedArgumentException u && cmd.getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")
                && (cmd.getParseResult() == null || !cmd.getParseResult().hasSubcommand());
    }

    /** A configured command line writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Mote root = new Mote();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter e = cmd.getErr();
            e.println("mote: " + describe(ex, cmd));
            if (root.verbose) {
                ex.printStackTrace(e);
            }
            e.flush();
            return ex instanceof UsageException ? 2 : ex instanceof CliException || ex instanceof MoteException ? 1 : 3;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter e = cmd.getErr();
            if (isUnknownCommand(ex)) {
                String word = ((CommandLine.UnmatchedArgumentException) ex).getUnmatched().get(0);
                e.println("mote: unknown command '" + word
                        + "'; commands: " + String.join(", ", commandNames(cmd)) + " (see 'mote --help')");
            } else {
                e.println("mote: " + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            }
            if (root.verbose) {
                ex.printStackTrace(e);
            }
            e.flush();
            return 2;
        });
        return cl;
    }

    private static String describe(Exception ex, CommandLine cmd) {
        if (ex instanceof UsageException) {
            return ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')";
        }
        if (ex instanceof CliException || ex instanceof MoteException) {
            return ex.getMessage();
        }
        return "internal error: " + ex + (ex.getCause() != null ? " (caused by " + ex.getCause() + ")" : "")
                + "; run with --verbose for the stack trace";
    }
}
