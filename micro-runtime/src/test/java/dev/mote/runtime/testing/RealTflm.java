package dev.mote.runtime.testing;

import dev.mote.runtime.ArenaTarget;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real TFLM interpreter of {@code ../shared/tflm} (reference kernels, every builtin op): {@code tflm_run} for the
 * 64-bit host ABI, {@code tflm_run_cm} under {@code qemu-system-arm} for the 32-bit Cortex-M ABI. The oracle for
 * outputs and arena figures. {@link #require(ArenaTarget)} skips the calling test with a clear message when the
 * folder (a user's clone) or QEMU is absent. Override the folder with {@code -Dmote.tflm.dir=/path/to/tflm}.
 *
 * <pre>{@code
 * RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
 * RealTflm.Run run = tflm.run(modelBytes, 16_000, inputBytes, true);
 * assertEquals(run.arenaUsedBytes(), mote.arenaUsedBytes());
 * }</pre>
 */
public final class RealTflm {
    public static final String PROPERTY = "mote.tflm.dir";
    private static final Pattern FIELD = Pattern.compile("^([A-Za-z_]+): (.*)$");

    private final ArenaTarget target;
    private final Path executable;

    private RealTflm(ArenaTarget target, Path executable) {
        this.target = target;
        this.executable = executable;
    }

    /** What one run printed. Figures the run did not reach are -1. */
    public record Run(boolean allocated, boolean invoked, int arenaUsedBytes, int smallestArena,
                      int smallestArenaInvoke, byte[] output, String log) {
    }

    /** The {@code ../shared/tflm} folder, or {@code null}. */
    public static Path directory() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            Path p = Path.of(configured);
            return Files.isDirectory(p) ? p : null;
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("tflm");
            if (Files.isRegularFile(candidate.resolve("tflm_run"))) {
                return candidate;
            }
        }
        return null;
    }

    /** True if the build for {@code target} can run here. */
    public static boolean available(ArenaTarget target) {
        Path dir = directory();
        if (dir == null) {
            return false;
        }
        if (target == ArenaTarget.CORTEX_M) {
            return Files.isRegularFile(dir.resolve("tflm_run_cm")) && onPath("qemu-system-arm");
        }
        return Files.isExecutable(dir.resolve("tflm_run"));
    }

    /** The real TFLM build for {@code target}; skips the calling test if it cannot run here. */
    public static RealTflm require(ArenaTarget target) {
        Path dir = directory();
        Assumptions.assumeTrue(dir != null, "real TFLM not found (../shared/tflm or -D" + PROPERTY
                + "): skipping the comparison with the device's own code");
        if (target == ArenaTarget.CORTEX_M) {
            Assumptions.assumeTrue(onPath("qemu-system-arm"), "qemu-system-arm not installed (apt-get install "
                    + "--no-install-recommends qemu-system-arm): skipping the Cortex-M comparison");
            return new RealTflm(target, dir.resolve("tflm_run_cm"));
        }
        return new RealTflm(target, dir.resolve("tflm_run"));
    }

    public ArenaTarget target() {
        return target;
    }

    /**
     * Runs {@code model} in an arena of {@code arenaBytes} with {@code input} (raw bytes of all inputs in order;
     * missing bytes are zero). With {@code search}, also finds the smallest arenas that allocate and invoke.
     */
    public Run run(byte[] model, int arenaBytes, byte[] input, boolean search) {
        try {
            Path work = Files.createTempDirectory("mote-tflm");
            try {
                Path modelFile = Files.write(work.resolve("model.tflite"), model);
                Path inputFile = Files.write(work.resolve("input.bin"), input == null ? new byte[0] : input);
                Path outputFile = work.resolve("output.bin");
                List<String> command = new ArrayList<>(List.of(executable.toString(), modelFile.toString(),
                        Integer.toString(arenaBytes), "--reps", "1", "--warmup", "0", "--max-print", "0",
                        "--input-file", inputFile.toString(), "--dump-output", outputFile.toString()));
                if (!search) {
                    command.add("--no-search");
                }
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("tflm_run did not finish in 300 s");
                }
                String log = new String(out, StandardCharsets.UTF_8);
                if (p.exitValue() == 2) {
                    throw new IllegalStateException("tflm_run usage or file error:\n" + log);
                }
                byte[] output = Files.exists(outputFile) ? Files.readAllBytes(outputFile) : new byte[0];
                return parse(log, output);
            } finally {
                try (var files = Files.list(work)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Run parse(String log, byte[] output) {
        boolean allocated = false;
        boolean invoked = false;
        int used = -1;
        int smallest = -1;
        int smallestInvoke = -1;
        for (String line : log.split("\n")) {
            Matcher m = FIELD.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            String value = m.group(2).trim();
            switch (m.group(1).toLowerCase(java.util.Locale.ROOT)) {
                case "allocatetensors" -> allocated = value.startsWith("kTfLiteOk");
                case "invoke" -> invoked = value.startsWith("kTfLiteOk");
                case "arena_used_bytes" -> used = Integer.parseInt(value);
                case "smallest_arena" -> smallest = parseOrMinusOne(value);
                case "smallest_arena_invoke" -> smallestInvoke = parseOrMinusOne(value);
                default -> {
                }
            }
        }
        return new Run(allocated, invoked, used, smallest, smallestInvoke, output, log);
    }

    private static int parseOrMinusOne(String value) {
        try {
            return Integer.parseInt(value.split("\\s")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
