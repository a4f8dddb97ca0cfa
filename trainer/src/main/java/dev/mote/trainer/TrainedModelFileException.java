package dev.mote.trainer;

import java.nio.file.Path;

/**
 * A saved {@link TrainedModel} file cannot be read: it is missing, unreadable, not a Mote model file, of a newer
 * format version, truncated, corrupted, or describes a model that does not hold together. The message names the
 * file and what is wrong; {@link #getCause()} is the low-level error, if any.
 *
 * <pre>{@code
 * try {
 *     TrainedModel m = TrainedModel.load(Path.of("sine.mote"));
 * } catch (TrainedModelFileException e) {
 *     System.err.println(e.getMessage());  // cannot load sine.mote: entry bias/1.f32 holds 60 bytes, ...
 *     Path bad = e.path();
 * }
 * }</pre>
 */
public class TrainedModelFileException extends TrainerException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    TrainedModelFileException(Path path, String problem, Throwable cause) {
        super("cannot load " + path + ": " + problem);
        this.path = path;
        if (cause != null) {
            initCause(cause);
        }
    }

    /**
     * The file that could not be loaded.
     *
     * <pre>{@code
     * catch (TrainedModelFileException e) { Files.move(e.path(), e.path().resolveSibling("broken.mote")); }
     * }</pre>
     */
    public Path path() {
        return path;
    }
}
