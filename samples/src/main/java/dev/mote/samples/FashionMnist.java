package dev.mote.samples;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads Fashion-MNIST from the gzipped IDX files of Debian's {@code dataset-fashion-mnist} package
 * ({@code apt-get install dataset-fashion-mnist} puts them in {@link #DEFAULT_DIRECTORY}).
 *
 * <pre>{@code
 * FashionMnist.Split test = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, false, 10_000);
 * float[] firstImage = test.image(0); // 28*28 values in [0, 1], row-major (HWC with C = 1)
 * }</pre>
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int SIDE = 28;
    public static final int CLASSES = 10;
    public static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot"};

    private FashionMnist() {
    }

    /** Images (flattened 28×28, scaled to [0, 1]) and their labels. */
    public record Split(float[][] images, int[] labels) {
        public int size() {
            return labels.length;
        }

        public float[] image(int i) {
            return images[i];
        }
    }

    private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    /** True if the four files are present in {@code directory}. */
    public static boolean isAvailable(Path directory) {
        return firstMissing(directory) == null;
    }

    /**
     * Passes if the four files are present in {@code directory}.
     *
     * @throws NoSuchFileException naming the first missing file and saying how to install the data set
     */
    public static void requireAvailable(Path directory) throws NoSuchFileException {
        Path missing = firstMissing(directory);
        if (missing != null) {
            throw new NoSuchFileException(missing.toString(), null, "Fashion-MNIST is missing;"
                    + " install it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu, puts it in "
                    + DEFAULT_DIRECTORY + ") or point to a folder holding the four IDX .gz files");
        }
    }

    /** The first of the four files not present in {@code directory}, or null if all are. */
    private static Path firstMissing(Path directory) {
        for (String file : FILES) {
            if (!Files.isRegularFile(directory.resolve(file))) {
                return directory.resolve(file);
            }
        }
        return null;
    }

    /** Loads the first {@code limit} examples of the training ({@code train = true}) or test split. */
    public static Split load(Path directory, boolean train, int limit) throws IOException {
        String prefix = train ? "train" : "t10k";
        int[] labels = readLabels(directory.resolve(prefix + "-labels-idx1-ubyte.gz"), limit);
        float[][] images = readImages(directory.resolve(prefix + "-images-idx3-ubyte.gz"), labels.length);
        return new Split(images, labels);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(in, 1 << 16));
    }

    private static int[] readLabels(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x801) {
                throw new IOException(file + ": not an IDX label file (magic " + Integer.toHexString(magic) + ")");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": negative count " + count);
            }
            int n = Math.min(count, limit);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readUnsignedByte();
                if (labels[i] >= CLASSES) {
                    throw new IOException(file + ": label " + labels[i] + " at " + i + " is not a class");
                }
            }
            return labels;
        }
    }

    private static float[][] readImages(Path file, int n) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x803) {
                throw new IOException(file + ": not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != SIDE || cols != SIDE || count < n) {
                throw new IOException(file + ": expected at least " + n + " images of 28x28, found " + count + " of "
                        + rows + "x" + cols);
            }
            float[][] images = new float[n][SIDE * SIDE];
            byte[] pixels = new byte[SIDE * SIDE];
            for (int i = 0; i < n; i++) {
                in.readFully(pixels);
                for (int p = 0; p < pixels.length; p++) {
                    images[i][p] = (pixels[p] & 0xFF) / 255f;
                }
            }
            return images;
        }
    }
}
