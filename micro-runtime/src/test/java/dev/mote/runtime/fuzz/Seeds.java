package dev.mote.runtime.fuzz;

import dev.mote.runtime.testing.ReferenceModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The models the fuzzers start from: the {@link ModelZoo}'s models, then the real TFLite files of
 * {@code ../shared/models} when that folder exists (zoo first, so that a fuzzer input picks the same zoo seed whether
 * or not the real models are there).
 */
public final class Seeds {
    private static final List<byte[]> ALL;
    private static final List<String> NAMES;

    static {
        List<byte[]> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        ModelZoo.all().forEach((name, bytes) -> {
            all.add(bytes);
            names.add("zoo:" + name);
        });
        Path dir = ReferenceModels.directory();
        if (dir != null) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".tflite")).sorted().toList()) {
                    all.add(Files.readAllBytes(f));
                    names.add(f.getFileName().toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ALL = Collections.unmodifiableList(all);
        NAMES = Collections.unmodifiableList(names);
    }

    private Seeds() {
    }

    public static List<byte[]> all() {
        return ALL;
    }

    public static List<String> names() {
        return NAMES;
    }

    /** How many of the seeds come from the zoo (they are first). */
    public static int zooCount() {
        return ModelZoo.all().size();
    }
}
