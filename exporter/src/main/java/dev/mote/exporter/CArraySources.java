package dev.mote.exporter;

import dev.mote.vocabulary.FileSet;

import java.nio.file.Path;
import java.util.List;

/**
 * The C/C++ sources for embedding an exported model in firmware:
 * <ul>
 *   <li>{@code <name>.h} / {@code <name>.cc}: {@code alignas(16) const unsigned char g_<name>[]} and
 *       {@code const unsigned int g_<name>_len}, byte for byte the {@code .tflite} file;</li>
 *   <li>{@code <name>_op_resolver.h}: a {@code MicroMutableOpResolver<N>} type registering exactly the model's
 *       operators, a {@code Register<Name>Ops(resolver)} function, and {@code k<Name>TensorArenaSize}.</li>
 * </ul>
 *
 * <pre>{@code
 * CArraySources c = model.cArray("sine_model", ArenaTarget.CORTEX_M);
 * c.writeTo(Path.of("firmware/src"));   // sine_model.h, sine_model.cc, sine_model_op_resolver.h
 * }</pre>
 */
public record CArraySources(String name, String header, String source, String resolverHeader, int arenaBytes) {

    public String headerFileName() {
        return name + ".h";
    }

    public String sourceFileName() {
        return name + ".cc";
    }

    public String resolverHeaderFileName() {
        return name + "_op_resolver.h";
    }

    /**
     * Writes the three files into {@code folder} (created with its parents if missing, as
     * {@code GeneratedC.writeTo} does) as one {@link FileSet}: all three, or none and the folder as it was. They get
     * the permissions of any new file (the umask's).
     *
     * @return the paths written: header, source, resolver header
     * @throws ExportWriteException if a file cannot be written
     */
    public List<Path> writeTo(Path folder) {
        ExportFiles.createFolder(folder);
        return ExportFiles.write(addTo(new FileSet(), folder));
    }

    /**
     * Adds the three files in {@code folder} to {@code files}, to write them together with others, e.g. the
     * {@code .tflite}:
     * <pre>{@code
     * FileSet files = new FileSet().add(out.resolve("sine.tflite"), model.bytes());
     * model.cArray("sine_model", ArenaTarget.CORTEX_M).addTo(files, out).write();
     * }</pre>
     *
     * @return {@code files}
     */
    public FileSet addTo(FileSet files, Path folder) {
        return files.add(folder.resolve(headerFileName()), header)
                .add(folder.resolve(sourceFileName()), source)
                .add(folder.resolve(resolverHeaderFileName()), resolverHeader);
    }
}
