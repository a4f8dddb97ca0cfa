package dev.mote.codegen;

import dev.mote.runtime.ModelWarning;
import dev.mote.vocabulary.FileSet;
import dev.mote.vocabulary.FileWriteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The generated C of one model: {@link #header()} ({@code NAME.h}) and {@link #source()} ({@code NAME.c}), with the
 * figures the header states.
 *
 * <pre>{@code
 * GeneratedC c = CCodeGenerator.forModel(bytes).name("sine").generate();
 * c.writeTo(Path.of("out"));                  // out/sine.h, out/sine.c
 * long ram = c.arenaBytes();                  // SINE_ARENA_BYTES
 * }</pre>
 */
public final class GeneratedC {
    private final String name;
    private final String header;
    private final String source;
    private final long arenaBytes;
    private final long inputBytes;
    private final long outputBytes;
    private final List<ModelWarning> warnings;

    GeneratedC(String name, String header, String source, long arenaBytes, long inputBytes, long outputBytes,
               List<ModelWarning> warnings) {
        this.name = name;
        this.header = header;
        this.source = source;
        this.arenaBytes = arenaBytes;
        this.inputBytes = inputBytes;
        this.outputBytes = outputBytes;
        this.warnings = List.copyOf(warnings);
    }

    /** The C name: files {@code NAME.h}, {@code NAME.c}, function {@code NAME_invoke}. */
    public String name() {
        return name;
    }

    /** The text of {@code NAME.h}. */
    public String header() {
        return header;
    }

    /** The text of {@code NAME.c}. */
    public String source() {
        return source;
    }

    /** {@code NAME_ARENA_BYTES}: the static working memory (activations and scratch) of {@code NAME_invoke}. */
    public long arenaBytes() {
        return arenaBytes;
    }

    /** {@code NAME_INPUT_BYTES}: the raw bytes of all inputs, in order. */
    public long inputBytes() {
        return inputBytes;
    }

    /** {@code NAME_OUTPUT_BYTES}: the raw bytes of all outputs, in order. */
    public long outputBytes() {
        return outputBytes;
    }

    /** What micro-runtime found suspicious in the model but runs (and so does the generated code), as TFLM does. */
    public List<ModelWarning> warnings() {
        return warnings;
    }

    /**
     * Writes {@code NAME.h} and {@code NAME.c} into {@code directory} (created if missing) as one {@link FileSet}:
     * both, or neither and the directory as it was. The files get the usual permissions of new files (the umask),
     * so a build under another user can read them.
     *
     * @return the two paths, header first
     * @throws CodegenException if the directory cannot be created or a file cannot be written
     */
    public List<Path> writeTo(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new CodegenException("cannot create the directory " + directory + ": " + e
                    + "; check that its parent is writable and that no file has its name", e);
        }
        try {
            return addTo(new FileSet(), directory).write();
        } catch (FileWriteException e) {
            throw new CodegenException(e.getMessage(), e);
        }
    }

    /**
     * Adds {@code NAME.h} and {@code NAME.c} in {@code directory} to {@code files}, to write them together with
     * other files.
     *
     * @return {@code files}
     */
    public FileSet addTo(FileSet files, Path directory) {
        return files.add(directory.resolve(name + ".h"), header).add(directory.resolve(name + ".c"), source);
    }
}
