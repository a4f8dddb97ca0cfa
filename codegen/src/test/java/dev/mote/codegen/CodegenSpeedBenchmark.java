package dev.mote.codegen;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.testing.ReferenceModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host speed of the generated C (gcc -O2) beside real TFLM's reference kernels ({@code tflm_run --reps}) on the same
 * model and input, in one run. Not a test: a benchmark main, run as BENCHMARKS.md says.
 *
 * <pre>{@code
 * java -cp ... dev.mote.codegen.CodegenSpeedBenchmark [reps]
 * }</pre>
 */
public final class CodegenSpeedBenchmark {
    private CodegenSpeedBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path work = Files.createTempDirectory("mote-codegen-speed");
        System.out.printf(Locale.ROOT, "%-32s %14s %14s %8s%n", "model", "generated C us", "tflm_run us", "ratio");
        for (String file : List.of("hello_world_int8.tflite", "micro_speech_quantized.tflite")) {
            byte[] model = ReferenceModels.bytes(file);
            GeneratedC c = CCodeGenerator.forModel(model).name("bench").generate();
            Path dir = Files.createDirectories(work.resolve(file.replace('.', '_')));
            c.writeTo(dir);
            byte[] input = new byte[(int) c.inputBytes()];
            new Random(3).nextBytes(input);
            StringBuilder main = new StringBuilder("#define _POSIX_C_SOURCE 199309L\n#include <stdio.h>\n"
                    + "#include <string.h>\n#include <time.h>\n#include \"bench.h\"\n"
                    + "static uint32_t in_buf[BENCH_INPUT_BYTES / 4 + 1], out_buf[BENCH_OUTPUT_BYTES / 4 + 1];\n"
                    + "static const uint8_t input_bytes[] = {");
            for (byte b : input) {
                main.append(b & 0xFF).append(',');
            }
            main.append("0};\nstatic double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); "
                    + "return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }\n"
                    + "int main(int argc, char **argv) {\n    int reps = atoi_(argv[1]);\n")
                    .append("    int r, i; double best = 1e30;\n    (void)argc;\n")
                    .append("    memcpy(in_buf, input_bytes, BENCH_INPUT_BYTES);\n")
                    .append("    for (i = 0; i < reps / 10 + 1; ++i) bench_invoke(in_buf, out_buf);\n")
                    .append("    for (r = 0; r < 5; ++r) {\n        double t0 = now();\n")
                    .append("        for (i = 0; i < reps; ++i) bench_invoke(in_buf, out_buf);\n")
                    .append("        if ((now() - t0) / reps < best) best = (now() - t0) / reps;\n    }\n")
                    .append("    printf(\"invoke_us %.3f\\n\", best);\n    return 0;\n}\n");
            String text = main.toString().replace("atoi_(", "atoi(").replace("#include <time.h>",
                    "#include <time.h>\n#include <stdlib.h>");
            Files.writeString(dir.resolve("main.c"), text);
            List<String> cc = new ArrayList<>(List.of("gcc", "-std=c99", "-O2", "-o", "bench", "main.c", "bench.c"));
            NativeBuild.exec(cc, dir);
            String out = NativeBuild.exec(List.of(dir.resolve("bench").toString(), Integer.toString(reps)), dir);
            double generated = number(out, "invoke_us ([0-9.]+)");
            Path m = Files.write(dir.resolve("model.tflite"), model);
            Path in = Files.write(dir.resolve("input.bin"), input);
            Path tflm = RealTflm.directory().resolve("tflm_run");
            String log = NativeBuild.exec(List.of(tflm.toString(), m.toString(), "65536", "--no-search", "--reps",
                    Integer.toString(reps), "--warmup", Integer.toString(reps / 10 + 1), "--max-print", "0",
                    "--input-file", in.toString()), dir);
            double reference = number(log, "invoke_us: median=[0-9.]+ min=([0-9.]+)");
            System.out.printf(Locale.ROOT, "%-32s %14.3f %14.3f %8.2f%n", file, generated, reference,
                    reference / generated);
        }
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }
}
