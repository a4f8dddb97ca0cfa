package dev.mote.cli;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A .tflite file read from disk: its bytes and the decoded model. */
record ModelFile(Path path, byte[] bytes, Model model) {

    /**
     * Reads and decodes {@code path}.
     *
     * @throws CliException if the file cannot be read
     * @throws dev.mote.runtime.InvalidModelException if it is not a valid TFLite model
     */
    static ModelFile read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new CliException("cannot read " + path + ": no such file", e);
        } catch (IOException e) {
            throw new CliException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return new ModelFile(path, bytes, ModelReader.read(bytes));
    }
}
