package dev.mote.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the mote command in-process and captures its output. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Mote.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The error output is exactly one line and has no stack trace. */
    boolean oneLineError() {
        String e = err.strip();
        return !e.isEmpty() && !e.contains("\n") && !e.contains("\tat ") && e.startsWith("mote: ");
    }
}
