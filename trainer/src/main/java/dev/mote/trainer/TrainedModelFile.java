package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.vocabulary.FileSet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The file format of {@link TrainedModel#save} and {@link TrainedModel#load}: a zip archive (deflated entries,
 * fixed timestamps, so one model always gives the same bytes) of
 *
 * <ul>
 *   <li>{@value #MANIFEST}, the first entry: Java properties (ASCII, {@code \\uXXXX} escapes) with
 *       {@code format=mote-trained-model} (the magic), {@code format.version=1}, {@code mote.version},
 *       the provenance ({@code provenance.phase/seed/epochsRun/bestEpoch/dataSize}), the quantization
 *       ({@code quantization.rangeSource}, {@code quantization.percentile}), the spec (see {@link SpecCodec}:
 *       {@code model.name}, {@code nodes}, {@code node.i.*}) and one {@code range.i=min max} per node (floats
 *       printed by {@link Float#toString}, which reads back exactly), and one {@code cellState.i=min max} per LSTM
 *       node whose cell-state range is known (absent in files written before LSTMs: the range is then unknown);</li>
 *   <li>{@code weights/i.f32} and {@code bias/i.f32} for every node {@code i} with weights: raw little-endian
 *       IEEE-754 float32 in TFLite layout (see {@link TrainedModel}), as many as the spec implies.</li>
 * </ul>
 *
 * Reading checks the magic, the version, every key, the spec (through {@link ModelSpec#of}), each entry's CRC and
 * exact size, and that every weight is finite; every length is bounded before anything is allocated
 * ({@value SpecCodec#MAX_NODES} nodes, {@value #MAX_MANIFEST_BYTES} manifest bytes, {@value #MAX_PARAMETERS}
 * parameters). Any problem is a {@link TrainedModelFileException}.
 */
final class TrainedModelFile {

    static final String MAGIC = "mote-trained-model";
    static final int VERSION = 1;
    static final String MANIFEST = "mote-model.properties";
    static final int MAX_MANIFEST_BYTES = 16 << 20;
    /** Weights and biases of all nodes together (256 MB of float32): far beyond any microcontroller model. */
    static final long MAX_PARAMETERS = 64L << 20;

    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private TrainedModelFile() {
    }

    /** Writes {@code model} to {@code path} all or nothing (through {@link FileSet}). */
    static void save(TrainedModel model, Path path) {
        new FileSet().add(path, encode(model)).write();
    }

    /** The file's bytes. */
    static byte[] encode(TrainedModel model) {
        ModelSpec spec = model.spec();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", MAGIC);
        m.put("format.version", Integer.toString(VERSION));
        m.put("mote.version", model.provenance().moteVersion());
        Provenance p = model.provenance();
        m.put("provenance.phase", p.phase().name());
        m.put("provenance.seed", Long.toString(p.seed()));
        m.put("provenance.epochsRun", Integer.toString(p.epochsRun()));
        m.put("provenance.bestEpoch", Integer.toString(p.bestEpoch()));
        m.put("provenance.dataSize", Integer.toString(p.dataSize()));
        m.put("quantization.rangeSource", model.quantization().rangeSource().name());
        m.put("quantization.percentile", Double.toString(model.quantization().percentile()));
        SpecCodec.write(spec, m);
        for (int i = 0; i < spec.nodes().size(); i++) {
            ValueRange r = model.outputRange(i);
            m.put("range." + i, r.min() + " " + r.max());
            ValueRange cell = model.cellStateRange(i);
            if (cell != null) {
                m.put("cellState." + i, cell.min() + " " + cell.max());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            put(zip, MANIFEST, properties(m));
            for (int i = 0; i < spec.nodes().size(); i++) {
                float[] w = model.weights(i);
                if (w != null) {
                    put(zip, "weights/" + i + ".f32", littleEndian(w));
                    put(zip, "bias/" + i + ".f32", littleEndian(model.bias(i)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Reads a model written by {@link #save}. */
    static TrainedModel load(Path path) {
        checkReadable(path);
        java.io.File file;
        try {
            file = path.toFile();
        } catch (UnsupportedOperationException e) {
            throw new TrainedModelFileException(path, "model files are read from the default file system only", e);
        }
        try (ZipFile zip = new ZipFile(file, StandardCharsets.UTF_8)) {
            return decode(new Entries(zip, path), path);
        } catch (TrainedModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TrainedModelFileException(path, "not a readable zip archive, so not a complete Mote model file"
                    + " (truncated or corrupted?): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TrainedModelFileException(path, "the file is corrupted: " + e, e);
        }
    }

    private static void checkReadable(Path path) {
        if (!Files.exists(path)) {
            throw new TrainedModelFileException(path, "no such file", null);
        }
        if (Files.isDirectory(path)) {
            throw new TrainedModelFileException(path, "it is a directory, not a model file", null);
        }
        byte[] head = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new TrainedModelFileException(path, "cannot read it: " + e, e);
        }
        for (int k = 0; k < 4; k++) {
            if (k >= read || head[k] != ZIP_MAGIC[k]) {
                throw new TrainedModelFileException(path, read == 0 ? "the file is empty"
                        : "not a Mote model file (a Mote model file is a zip archive starting with PK\\3\\4)", null);
            }
        }
    }

    private static TrainedModel decode(Entries zip, Path path) {
        Map<String, String> m = zip.manifest();
        java.util.function.BiFunction<String, Throwable, TrainedModelFileException> fail =
                (problem, cause) -> new TrainedModelFileException(path, problem, cause);
        if (!MAGIC.equals(m.get("format"))) {
            throw fail.apply("not a Mote model file (" + MANIFEST + " has no format=" + MAGIC + ")", null);
        }
        int version = integer(m, "format.version", fail);
        if (version != VERSION) {
            throw fail.apply("format version " + version + "; this Mote (" + MoteVersion.current()
                    + ") reads version " + VERSION
                    + (version > VERSION ? ": load it with the Mote that wrote it or a newer one" : ""), null);
        }
        ModelSpec spec = SpecCodec.read(m, fail);
        QuantizationChoices.RangeSource source = enumValue(m, "quantization.rangeSource",
                QuantizationChoices.RangeSource.class, fail);
        double percentile = number(m, "quantization.percentile", fail);
        Provenance provenance;
        try {
            provenance = new Provenance(enumValue(m, "provenance.phase", Provenance.Phase.class, fail),
                    longValue(m, "provenance.seed", fail), integer(m, "provenance.epochsRun", fail),
                    integer(m, "provenance.bestEpoch", fail), integer(m, "provenance.dataSize", fail),
                    require(m, "mote.version", fail));
        } catch (IllegalArgumentException e) {
            throw fail.apply(e.getMessage(), e);
        }
        TrainedModel.Builder b = TrainedModel.builder(spec).rangeSource(source, percentile).provenance(provenance);
        TensorPlan plan = TensorPlan.of(spec);
        long parameters = 0;
        for (int i = 0; i < spec.nodes().size(); i++) {
            TfliteLayout.Parameters planned = TfliteLayout.Parameters.of(plan, i);
            if (planned != null) {
                parameters += planned.weightCount() + planned.biasLength();
            }
        }
        if (parameters > MAX_PARAMETERS) {
            throw fail.apply("the model declares " + parameters + " parameters; a model file holds at most "
                    + MAX_PARAMETERS, null);
        }
        for (int i = 0; i < spec.nodes().size(); i++) {
            b.range(i, range(m, "range." + i, fail));
            if (m.containsKey("cellState." + i)) {
                try {
                    b.cellStateRange(i, range(m, "cellState." + i, fail));
                } catch (IllegalArgumentException e) {
                    throw fail.apply(e.getMessage(), e);
                }
            }
            TfliteLayout.Parameters planned = TfliteLayout.Parameters.of(plan, i);
            if (planned != null) {
                float[] w = zip.floats("weights/" + i + ".f32", planned.weightCount());
                float[] bias = zip.floats("bias/" + i + ".f32", planned.biasLength());
                try {
                    b.parameters(i, w, bias);
                } catch (IllegalArgumentException e) {
                    throw fail.apply(e.getMessage(), e);
                }
            }
        }
        try {
            return b.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw fail.apply(e.getMessage(), e);
        }
    }

    private static ValueRange range(Map<String, String> m, String key,
                                    java.util.function.BiFunction<String, Throwable, TrainedModelFileException> fail) {
        String v = require(m, key, fail);
        String[] parts = v.split(" ", 3);
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("not two numbers");
            }
            float lo = Float.parseFloat(parts[0]);
            float hi = Float.parseFloat(parts[1]);
            if (!Float.isFinite(lo) || !Float.isFinite(hi)) {
                throw new IllegalArgumentException("not finite");
            }
            return new ValueRange(lo, hi);
        } catch (IllegalArgumentException e) {
            throw fail.apply(key + " is '" + v + "', not a range 'min max' (" + e.getMessage() + ")", null);
        }
    }

    private static String require(Map<String, String> m, String key,
                                  java.util.function.BiFunction<String, Throwable, TrainedModelFileException> fail) {
        String v = m.get(key);
        if (v == null) {
            throw fail.apply("the manifest has no " + key, null);
        }
        return v;
    }

    private static int integer(Map<String, String> m, String key,
                               java.util.function.BiFunction<String, Throwable, TrainedModelFileException> fail) {
        return parsed(m, key, Integer::parseInt, "an integer", fail);
    }

    private static long longValue(Map<String, String> m, String key,
                                  java.util.function.BiFunction<String, Throwable, TrainedModelFileException> fail) {
        return parsed(m, key, Long::parseLong, "an integer", fail);
    }

    private static double number(Map<String, String> m, String key,
                                 java.util.function.BiFunction<String, Throwable, TrainedModelFileException> fail) {
        return parsed(m, key, Double::parseDouble, "a number", fail);
    }

    /** The value of {@code key} read by {@code parse}; a value it refuses is named with what it should be. */
    private static <T> T parsed(Map<String, String> m, String key, java.util.function.Function<String, T> parse,
                                String kind,
                                java.util.function.BiFunction<String, Throwable, TrainedModelFileException> fail) {
        String v = require(m, key, fail);
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw fail.apply(key + " is '" + v + "', not " + kind, null);
        }
    }

    private static <E extends Enum<E>> E enumValue(Map<String, String> m, String key, Class<E> type,
            java.util.function.BiFunction<String, Throwable, TrainedModelFileException> fail) {
        String v = require(m, key, fail);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw fail.apply(key + " is '" + v + "', not one of " + java.util.Arrays.toString(type.getEnumConstants()),
                    null);
        }
    }

    /** The zip's entries, each read with a bound and checked against its CRC. */
    private record Entries(ZipFile zip, Path path) {

        Map<String, String> manifest() {
            byte[] bytes = read(MANIFEST, MAX_MANIFEST_BYTES, false);
            Properties p = new Properties();
            try {
                p.load(new ByteArrayInputStream(bytes));
            } catch (IOException | IllegalArgumentException e) {
                throw new TrainedModelFileException(path, MANIFEST + " is not a properties file: " + e.getMessage(),
                        e);
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (String key : p.stringPropertyNames()) {
                m.put(key, p.getProperty(key));
            }
            return m;
        }

        float[] floats(String name, long count) {
            byte[] bytes = read(name, count * Float.BYTES, true);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[(int) count];
            for (int k = 0; k < out.length; k++) {
                out[k] = buffer.getFloat();
                if (!Float.isFinite(out[k])) {
                    throw new TrainedModelFileException(path, "entry " + name + " holds a non-finite value "
                            + out[k] + " at " + k, null);
                }
            }
            return out;
        }

        /** The entry's bytes: at most {@code max}, exactly {@code max} if {@code exact}. */
        private byte[] read(String name, long max, boolean exact) {
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                throw new TrainedModelFileException(path, "entry " + name + " is missing (truncated, or not written by"
                        + " Mote)", null);
            }
            String expected = exact ? "exactly " + max : "at most " + max;
            if (e.getSize() > max || (exact && e.getSize() >= 0 && e.getSize() != max)) {
                throw new TrainedModelFileException(path, "entry " + name + " declares " + e.getSize()
                        + " bytes, expected " + expected, null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max, 1 << 16));
            CRC32 crc = new CRC32();
            try (InputStream in = zip.getInputStream(e)) {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > max) {
                        throw new TrainedModelFileException(path, "entry " + name + " holds more than " + max
                                + " bytes, expected " + expected, null);
                    }
                    crc.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            } catch (IOException ex) {
                throw new TrainedModelFileException(path, "entry " + name
                        + " cannot be read (truncated or corrupted?): " + ex.getMessage(), ex);
            }
            if (exact && out.size() != max) {
                throw new TrainedModelFileException(path, "entry " + name + " holds " + out.size()
                        + " bytes, expected " + expected, null);
            }
            if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                throw new TrainedModelFileException(path, "entry " + name + " is corrupted (CRC mismatch)", null);
            }
            return out.toByteArray();
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Properties text in the given key order, ASCII with {@code \\uXXXX} escapes, without Properties' date line. */
    private static byte[] properties(Map<String, String> m) {
        StringBuilder sb = new StringBuilder("# Mote trained model; see dev.mote.trainer.TrainedModel#save\n");
        for (Map.Entry<String, String> e : m.entrySet()) {
            sb.append(e.getKey()).append('=');
            String v = e.getValue();
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (c == '\\') {
                    sb.append("\\\\");
                } else if (c == ' ' && k == 0) {
                    sb.append("\\ ");
                } else if (c < 0x20 || c > 0x7e) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
