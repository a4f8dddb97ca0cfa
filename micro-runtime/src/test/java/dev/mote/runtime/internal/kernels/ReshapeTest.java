package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.RandomCases;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.mote.runtime.testing.ModelRuns.assertRefused;
import static dev.mote.runtime.testing.ModelRuns.mote;
import static dev.mote.runtime.testing.ModelRuns.tflite;
import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** RESHAPE in Mote against desktop TFLite on seeded random shapes, shape sources and element types. */
class ReshapeTest {
    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32};

    /** A random factorization of {@code n} into {@code rank} dims. */
    private static int[] factorize(RandomCases r, int n, int rank) {
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        if (rank == 0) {
            return shape;
        }
        List<Integer> primes = new ArrayList<>();
        int m = n;
        for (int p = 2; p * p <= m; p++) {
            while (m % p == 0) {
                primes.add(p);
                m /= p;
            }
        }
        if (m > 1) {
            primes.add(m);
        }
        for (int p : primes) {
            shape[r.nextInt(rank)] *= p;
        }
        return shape;
    }

    @Test
    void randomizedCasesMatchDesktopTfliteBitForBit() {
        RandomCases r = new RandomCases(0x5E5A_0001L);
        int cases = 400;
        for (int c = 0; c < cases; c++) {
            TensorType type = TYPES[r.nextInt(TYPES.length)];
            int[] inShape = r.dims(r.nextInt(5), 1, 6);
            int n = elementCount(inShape);
            int[] outShape = factorize(r, n, n == 1 ? r.nextInt(6) : 1 + r.nextInt(5));
            int[] requested = outShape.clone();
            if (requested.length > 0 && r.nextBoolean()) {
                requested[r.nextInt(requested.length)] = -1;
            }
            // 0: new_shape only, 1: shape tensor only, 2: both. A scalar target's shape tensor is an INT32 [0]
            // constant with no bytes, as the converter writes it.
            int source = r.nextInt(3);
            Quantization q = r.quantization(type);
            ModelBuilder b = new ModelBuilder();
            int in = b.addInput("in", type, inShape, q);
            int out = b.addTensor("out", type, outShape, q);
            BuiltinOptions.Reshape options = new BuiltinOptions.Reshape(source == 1 ? null : requested);
            int[] inputs = source == 0 ? new int[] {in} : new int[] {in, b.addInt32Vector("shape", requested)};
            b.addOperator(BuiltinOperator.RESHAPE, 1, options, inputs, new int[] {out});
            b.addOutput(out);
            byte[] model = b.toBytes();
            byte[] data = r.data(type, n);
            String what = "case " + c + ": " + type + Arrays.toString(inShape) + " -> "
                    + Arrays.toString(requested) + " source " + source;
            byte[] expected = tflite(model, data);
            assertArrayEquals(expected, mote(model, data), what);
            assertArrayEquals(data, expected, what + " (TFLite must copy the bytes)");
        }
        System.out.printf("RESHAPE: %d randomized cases, 0 differ from desktop TFLite%n", cases);
    }

    private static byte[] model(int[] inShape, int[] outShape, int[] newShape, Integer shapeTensorLength,
                                boolean shapeTensorIsInput) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, inShape, Quantization.perTensor(0.1f, 0));
        int[] inputs = {in};
        if (shapeTensorLength != null) {
            int shape = shapeTensorIsInput
                    ? b.addInput("shape", TensorType.INT32, new int[] {shapeTensorLength}, Quantization.NONE)
                    : b.addInt32Vector("shape", newShape);
            inputs = new int[] {in, shape};
        }
        int out = b.addTensor("out", TensorType.INT8, outShape, Quantization.perTensor(0.1f, 0));
        b.addOperator(BuiltinOperator.RESHAPE, 1, new BuiltinOptions.Reshape(newShape), inputs, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    @Test
    void refusesOutputWithOtherElementCount() {
        assertRefused(model(new int[] {2, 3}, new int[] {5}, null, null, false), BuiltinOperator.RESHAPE, "output");
    }

    @Test
    void refusesNewShapeThatDisagreesWithTheOutput() {
        assertRefused(model(new int[] {2, 3}, new int[] {6}, new int[] {3, 2}, null, false), BuiltinOperator.RESHAPE,
                "new_shape");
    }

    @Test
    void refusesTwoInferredDimensions() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 3}, new int[] {-1, -1}, null, false),
                BuiltinOperator.RESHAPE, "new_shape");
    }

    @Test
    void refusesShapeTensorThatDisagreesWithTheOutput() {
        assertRefused(model(new int[] {2, 3}, new int[] {6}, new int[] {2, -1}, 2, false), BuiltinOperator.RESHAPE,
                "inputs[1]");
    }

    @Test
    void acceptsAComputedShapeTensorLikeTflm() {
        byte[] m = model(new int[] {2, 3}, new int[] {3, 2}, null, 2, true);
        byte[] data = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(data, mote(m, data, new byte[8]));
    }

    @Test
    void refusesTypeChange() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {4}, Quantization.perTensor(0.1f, 0));
        int out = b.addTensor("out", TensorType.INT16, new int[] {4}, Quantization.perTensor(0.1f, 0));
        b.addOperator(BuiltinOperator.RESHAPE, 1, new BuiltinOptions.Reshape(new int[] {4}), new int[] {in},
                new int[] {out});
        b.addOutput(out);
        assertRefused(b.toBytes(), BuiltinOperator.RESHAPE, "output");
    }
}
