package dev.mote.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the samples' exports to {@code -Dmote.arena.dump=DIR}, to re-measure their arena by hand. */
class SampleModelsDump {
    @Test
    @EnabledIfSystemProperty(named = "mote.arena.dump", matches = ".+")
    void dumpModels() throws IOException {
        Path dir = Files.createDirectories(Path.of(System.getProperty("mote.arena.dump")));
        Files.write(dir.resolve("sample_fashion_mnist_qat.tflite"), QuickRuns.fashion().qatModel().bytes());
        Files.write(dir.resolve("sample_hello_world.tflite"), QuickRuns.helloWorld().exported().bytes());
    }
}
