package dev.mote.codegen;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles generated programs with the machine's {@code gcc -std=c99 -O2 -Wall -Wextra -Werror} into one test
 * binary and runs each on its input: the generated C as a firmware build would compile it.
 */
public final class NativeBuild {
    static final List<String> FLAGS = List.of("-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic");

    private NativeBuild() {
    }

    /** Skips the calling test when gcc is missing. */
    public static void requireGcc() {
        Assumptions.assumeTrue(onPath("gcc"), "gcc not found: skipping the tests that compile the generated C "
                + "(apt-get install gcc)");
    }

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Compiles {@code programs} into one binary in {@code work} and runs program {@code k} on {@code inputs.get(k)};
     * returns each program's raw output bytes (all outputs). A program returning non-zero fails the test.
     */
    public static List<byte[]> run(Path work, List<GeneratedC> programs, List<byte[]> inputs) {
        try {
            Files.createDirectories(work);
            StringBuilder main = new StringBuilder("#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n");
            for (GeneratedC p : programs) {
                p.writeTo(work);
                main.append("#include \"").append(p.name()).append(".h\"\n");
            }
            main.append("typedef int (*invoke_fn)(const void *, void *);\n")
                    .append("static const struct { invoke_fn f; unsigned long in, out; } cases[] = {\n");
            for (GeneratedC p : programs) {
                String u = p.name().toUpperCase(java.util.Locale.ROOT);
                main.append("    {").append(p.name()).append("_invoke, ").append(u).append("_INPUT_BYTES, ")
                        .append(u).append("_OUTPUT_BYTES},\n");
            }
            main.append("};\n")
                    .append("int main(int argc, char **argv) {\n")
                    .append("    unsigned k;\n    char path[4096];\n    (void)argc;\n")
                    .append("    for (k = 0; k < sizeof cases / sizeof cases[0]; ++k) {\n")
                    .append("        FILE *f;\n        size_t got;\n        int rc;\n")
                    .append("        double *in = calloc(cases[k].in / 8 + 1, 8);\n")
                    .append("        double *out = calloc(cases[k].out / 8 + 1, 8);\n")
                    .append("        snprintf(path, sizeof path, \"%s/in_%u.bin\", argv[1], k);\n")
                    .append("        f = fopen(path, \"rb\");\n        if (!f) return 2;\n")
                    .append("        got = fread(in, 1, cases[k].in, f);\n        fclose(f);\n")
                    .append("        if (got != cases[k].in) return 3;\n")
                    .append("        rc = cases[k].f(in, out);\n        if (rc != 0) return 10 + rc;\n")
                    .append("        snprintf(path, sizeof path, \"%s/out_%u.bin\", argv[1], k);\n")
                    .append("        f = fopen(path, \"wb\");\n        if (!f) return 4;\n")
                    .append("        fwrite(out, 1, cases[k].out, f);\n        fclose(f);\n")
                    .append("        free(in);\n        free(out);\n    }\n    return 0;\n}\n");
            Files.writeString(work.resolve("main.c"), main.toString());
            List<String> cc = new ArrayList<>(List.of("gcc"));
            cc.addAll(FLAGS);
            cc.addAll(List.of("-o", work.resolve("run").toString(), work.resolve("main.c").toString()));
            for (GeneratedC p : programs) {
                cc.add(work.resolve(p.name() + ".c").toString());
            }
            exec(cc, work);
            for (int k = 0; k < inputs.size(); k++) {
                Files.write(work.resolve("in_" + k + ".bin"), inputs.get(k));
            }
            exec(List.of(work.resolve("run").toString(), work.toString()), work);
            List<byte[]> outputs = new ArrayList<>();
            for (int k = 0; k < programs.size(); k++) {
                outputs.add(Files.readAllBytes(work.resolve("out_" + k + ".bin")));
            }
            return outputs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String exec(List<String> command, Path dir) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish in 600 s");
            }
            String log = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " ... failed with exit code " + p.exitValue() + ":\n" + log.substring(0,
                        Math.min(log.length(), 8000)));
            }
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
