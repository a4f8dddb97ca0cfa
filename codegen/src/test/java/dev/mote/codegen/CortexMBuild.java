package dev.mote.codegen;

import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generated C as a Cortex-M3 firmware: compiled with Debian's {@code arm-none-eabi-gcc -Os -mcpu=cortex-m3
 * -mthumb}, measured ({@code arm-none-eabi-size} of the model's object, {@code -fstack-usage}) and run on QEMU's
 * MPS2-AN385 board with the vector table of {@code ../shared/tflm/sdk}, printing its output over semihosting.
 */
public final class CortexMBuild {
    static final List<String> CPU = List.of("-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft", "-mlittle-endian");

    /** What the model's own object file takes on the device. */
    public record Footprint(long text, long data, long bss, long stack) {
        public long flash() {
            return text + data;
        }

        public long ram() {
            return data + bss + stack;
        }
    }

    private CortexMBuild() {
    }

    /** Prints one footprint row beside TFLM's Cortex-M arena and fails unless the generated RAM is below it. */
    public static void report(String model, int tfliteBytes, GeneratedC c, Footprint f, int tflmArena) {
        System.out.printf("CODEGEN-FOOTPRINT %-30s tflite %6d B | generated flash %6d B (text+rodata %d, data %d) | "
                        + "RAM %5d B (arena %d = bss %d, stack est. %d) | TFLM Cortex-M arena %5d B | RAM ratio %.3f%n",
                model, tfliteBytes, f.flash(), f.text(), f.data(), f.ram(), c.arenaBytes(), f.bss(), f.stack(),
                tflmArena, (double) f.ram() / tflmArena);
        if (f.ram() >= tflmArena) {
            throw new AssertionError(model + ": generated RAM " + f.ram() + " is not below TFLM's arena " + tflmArena);
        }
    }

    /** Skips the calling test without the Arm tool chain or QEMU. */
    public static void require() {
        Assumptions.assumeTrue(NativeBuild.onPath("arm-none-eabi-gcc"), "arm-none-eabi-gcc not found (apt-get "
                + "install gcc-arm-none-eabi libnewlib-arm-none-eabi): skipping the Cortex-M build of generated C");
        Assumptions.assumeTrue(NativeBuild.onPath("qemu-system-arm"), "qemu-system-arm not found: skipping the "
                + "Cortex-M run of generated C");
        Assumptions.assumeTrue(RealTflm.directory() != null && Files.isRegularFile(startup()),
                "../shared/tflm/sdk not found: skipping the Cortex-M run of generated C (it needs its vector table)");
    }

    public static Path startup() {
        Path dir = RealTflm.directory();
        return dir == null ? Path.of("absent") : dir.resolve("sdk/lib/cortex-m3/cm_startup.c");
    }

    /** Compiles the model alone ({@code -Os}, sections per function) and measures text, data, bss and stack. */
    public static Footprint footprint(Path work, GeneratedC c) {
        c.writeTo(work);
        List<String> cc = new ArrayList<>(List.of("arm-none-eabi-gcc"));
        cc.addAll(CPU);
        cc.addAll(List.of("-std=c99", "-Os", "-Wall", "-Wextra", "-Werror", "-ffunction-sections", "-fdata-sections",
                "-fstack-usage", "-c", c.name() + ".c", "-o", c.name() + ".o"));
        NativeBuild.exec(cc, work);
        String size = NativeBuild.exec(List.of("arm-none-eabi-size", c.name() + ".o"), work);
        String[] row = size.strip().split("\n")[1].trim().split("\\s+");
        long stack = stack(work.resolve(c.name() + ".su"), c.name() + "_invoke");
        return new Footprint(Long.parseLong(row[0]), Long.parseLong(row[1]), Long.parseLong(row[2]), stack);
    }

    /**
     * The stack of {@code NAME_invoke} plus the largest frame of any function it may call (the kernels call only
     * inline helpers): an estimate from {@code -fstack-usage}.
     */
    private static long stack(Path su, String invoke) {
        try {
            long own = 0;
            long deepest = 0;
            Pattern line = Pattern.compile("^.*:(\\w+)\\t(\\d+)\\t.*$");
            for (String l : Files.readAllLines(su)) {
                Matcher m = line.matcher(l);
                if (m.matches()) {
                    long bytes = Long.parseLong(m.group(2));
                    if (m.group(1).equals(invoke)) {
                        own = bytes;
                    } else {
                        deepest = Math.max(deepest, bytes);
                    }
                }
            }
            return own + deepest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Links the model with a main that runs it on {@code input} and runs it on QEMU; returns the output bytes. */
    public static byte[] run(Path work, GeneratedC c, byte[] input) {
        c.writeTo(work);
        String u = c.name().toUpperCase(java.util.Locale.ROOT);
        StringBuilder main = new StringBuilder("#include <stdio.h>\n#include <string.h>\n#include \"")
                .append(c.name()).append(".h\"\n")
                .append("static const uint8_t input_bytes[").append(Math.max(1, input.length)).append("] = {");
        for (int i = 0; i < input.length; i++) {
            main.append(i % 32 == 0 ? "\n" : "").append(input[i] & 0xFF).append(',');
        }
        main.append(input.length == 0 ? "0" : "").append("};\n")
                .append("static uint32_t in_buf[").append(u).append("_INPUT_BYTES / 4 + 1];\n")
                .append("static uint32_t out_buf[").append(u).append("_OUTPUT_BYTES / 4 + 1];\n")
                .append("int main(void) {\n    unsigned i;\n    int rc;\n")
                .append("    memcpy(in_buf, input_bytes, ").append(u).append("_INPUT_BYTES);\n")
                .append("    rc = ").append(c.name()).append("_invoke(in_buf, out_buf);\n")
                .append("    printf(\"rc=%d\\nout=\", rc);\n")
                .append("    for (i = 0; i < ").append(u).append("_OUTPUT_BYTES; ++i) {\n")
                .append("        printf(\"%u,\", (unsigned)((const uint8_t *)out_buf)[i]);\n    }\n")
                .append("    printf(\"\\nend\\n\");\n    return 0;\n}\n");
        try {
            Files.writeString(work.resolve("main.c"), main.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cc = new ArrayList<>(List.of("arm-none-eabi-gcc"));
        cc.addAll(CPU);
        cc.addAll(List.of("--specs=rdimon.specs", "-std=c99", "-Os", "-ffunction-sections", "-fdata-sections",
                "main.c", c.name() + ".c", startup().toString(), "-Wl,--section-start=.vectors=0x0",
                "-Wl,-u,tflm_cm_vectors", "-Wl,--gc-sections", "-o", "fw.elf"));
        NativeBuild.exec(cc, work);
        String log = NativeBuild.exec(List.of("qemu-system-arm", "-M", "mps2-an385", "-cpu", "cortex-m3", "-display",
                "none", "-monitor", "none", "-serial", "none", "-semihosting-config", "enable=on,target=native",
                "-kernel", "fw.elf"), work);
        Matcher m = Pattern.compile("rc=(\\d+)\\nout=([0-9,]*)\\nend").matcher(log);
        if (!m.find() || !m.group(1).equals("0")) {
            throw new AssertionError("the firmware did not run to the end on QEMU:\n" + log);
        }
        String[] parts = m.group(2).isEmpty() ? new String[0] : m.group(2).split(",");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i]);
        }
        return out;
    }
}
