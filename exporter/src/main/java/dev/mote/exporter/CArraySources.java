package dev.mote.exporter;

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
     * Writes the three files into {@code folder}, each atomically (no partial file on failure).
     *
     * @return the paths written
     * @throws ExportWriteException if a file cannot be written
     */
    public List<Path> writeTo(Path folder) {
        Path h = folder.resolve(headerFileName());
        Path cc = folder.resolve(sourceFileName());
        Path resolver = folder.resolve(resolverHeaderFileName());
        AtomicFiles.write(h, header);
        AtomicFiles.write(cc, source);
        AtomicFiles.write(resolver, resolverHeader);
        return List.of(h, cc, resolver);
    }
}
