package dev.mote.cli;

import java.io.PrintWriter;

/** Entry point of {@code java -jar mote.jar}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = Mote.commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
