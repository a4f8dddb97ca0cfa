package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroInterpreter;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.DesktopMean;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.mote.runtime.testing.ModelRuns.mote;
import static dev.mote.runtime.testing.ModelRuns.tflite;
import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small multi-op graphs of the shape kernels (so that the planner reuses arena bytes between them) in Mote and in
 * desktop TFLite: PAD → TRANSPOSE → STRIDED_SLICE → RESHAPE → CONCATENATION → EXPAND_DIMS → SQUEEZE must be
 * bit-identical; PAD → MEAN must be bit-identical up to MEAN, whose differences are recomputed as in
 * {@link MeanTest} ({@link DesktopMean}).
 */
class ShapeOpChainTest {
    private static final int PAD_OPTIONS = BuiltinOptions.Types.PAD;

    @Test
    void dataMovementChainMatchesDesktopTfliteBitForBit() {
        RandomCases r = new RandomCases(0x5E5A_000AL);
        int cases = 150;
        for (int c = 0; c < cases; c++) {
            TensorType type = r.nextBoolean() ? TensorType.INT8 : TensorType.FLOAT32;
            int version = type == TensorType.INT8 ? 2 : 1;
            Quantization q = type == TensorType.INT8
                    ? Quantization.perTensor((float) (0.01 + r.nextDouble()), r.nextInt(256) - 128) : Quantization.NONE;
            int[] in = r.dims(4, 1, 5);
            in[0] = 1;
            int ph = r.nextInt(3);
            int pw = r.nextInt(3);
            int[] padded = {1, in[1] + 2 * ph, in[2] + 2 * pw, in[3]};
            int[] transposed = {1, padded[3], padded[1], padded[2]};
            // slice: shrink the batch axis, every second row from 0, all columns backwards
            int rows = (transposed[2] + 1) / 2;
            int[] sliced = {transposed[1], rows, transposed[3]};
            int[] flat = {sliced[0], rows * sliced[2]};
            int extra = 1 + r.nextInt(3);
            int[] concat = {flat[0], flat[1] + extra};

            ModelBuilder b = new ModelBuilder();
            int x = b.addInput("x", type, in, q);
            int side = b.addInput("side", type, new int[] {flat[0], extra}, q);
            int t0 = b.addTensor("padded", type, padded, q);
            b.addOperator(BuiltinOperator.PAD, version, new BuiltinOptions.Empty(PAD_OPTIONS),
                    new int[] {x, b.addInt32Constant("paddings", new int[] {4, 2}, new int[] {0, 0, ph, ph, pw, pw, 0, 0},
                            Quantization.NONE)}, new int[] {t0});
            int t1 = b.addTensor("transposed", type, transposed, q);
            b.addOperator(BuiltinOperator.TRANSPOSE, version, new BuiltinOptions.Empty(BuiltinOptions.Types.TRANSPOSE),
                    new int[] {t0, b.addInt32Vector("perm", 0, 3, 1, 2)}, new int[] {t1});
            int t2 = b.addTensor("sliced", type, sliced, q);
            b.addOperator(BuiltinOperator.STRIDED_SLICE, version,
                    new BuiltinOptions.StridedSlice(0b0010, 0b1110, 0, 0, 0b0001, false),
                    new int[] {t1, b.addInt32Vector("begin", 0, 0, 0, -1), b.addInt32Vector("end", 1, 0, 0, 0),
                            b.addInt32Vector("strides", 1, 1, 2, -1)}, new int[] {t2});
            int t3 = b.addTensor("flat", type, flat, q);
            b.addOperator(BuiltinOperator.RESHAPE, 1, new BuiltinOptions.Reshape(new int[] {flat[0], -1}),
                    new int[] {t2, b.addInt32Vector("shape", flat[0], -1)}, new int[] {t3});
            int t4 = b.addTensor("concat", type, concat, q);
            b.addOperator(BuiltinOperator.CONCATENATION, version, new BuiltinOptions.Concatenation(-1, 0),
                    new int[] {t3, side}, new int[] {t4});
            int t5 = b.addTensor("expanded", type, new int[] {concat[0], 1, concat[1]}, q);
            b.addOperator(BuiltinOperator.EXPAND_DIMS, 1, new BuiltinOptions.Empty(BuiltinOptions.Types.EXPAND_DIMS),
                    new int[] {t4, b.addInt32Constant("axis", new int[0], new int[] {-2}, Quantization.NONE)},
                    new int[] {t5});
            int t6 = b.addTensor("squeezed", type, concat, q);
            b.addOperator(BuiltinOperator.SQUEEZE, 1, new BuiltinOptions.Squeeze(new int[] {1}), new int[] {t5},
                    new int[] {t6});
            b.addOutput(t6);
            byte[] model = b.toBytes();
            byte[] dx = r.data(type, elementCount(in));
            byte[] ds = r.data(type, flat[0] * extra);
            assertArrayEquals(tflite(model, dx, ds), mote(model, dx, ds), "case " + c + ": " + type
                    + Arrays.toString(in) + " pads " + ph + "/" + pw);
        }
        System.out.printf("PAD-TRANSPOSE-STRIDED_SLICE-RESHAPE-CONCATENATION-EXPAND_DIMS-SQUEEZE: %d randomized "
                + "chains, 0 differ from desktop TFLite%n", cases);
    }

    @Test
    void padThenMeanDiffersOnlyByMeansKnownRounding() {
        RandomCases r = new RandomCases(0x5E5A_000BL);
        int cases = 100;
        int differing = 0;
        for (int c = 0; c < cases; c++) {
            int[] in = r.dims(4, 1, 6);
            int p = 1 + r.nextInt(2);
            int[] padded = {in[0], in[1] + 2 * p, in[2] + 2 * p, in[3]};
            boolean keepDims = r.nextBoolean();
            int[] out = keepDims ? new int[] {in[0], 1, 1, in[3]} : new int[] {in[0], in[3]};
            float inScale = (float) (0.01 + r.nextDouble());
            int inZp = r.nextInt(256) - 128;
            boolean same = r.nextBoolean();
            float outScale = same ? inScale : (float) (inScale * (0.5 + r.nextDouble()));
            int outZp = same ? inZp : r.nextInt(256) - 128;
            ModelBuilder b = new ModelBuilder();
            int x = b.addInput("x", TensorType.INT8, in, Quantization.perTensor(inScale, inZp));
            int t0 = b.addTensor("padded", TensorType.INT8, padded, Quantization.perTensor(inScale, inZp));
            b.addOperator(BuiltinOperator.PAD, 2, new BuiltinOptions.Empty(PAD_OPTIONS),
                    new int[] {x, b.addInt32Constant("paddings", new int[] {4, 2}, new int[] {0, 0, p, p, p, p, 0, 0},
                            Quantization.NONE)}, new int[] {t0});
            int y = b.addTensor("y", TensorType.INT8, out, Quantization.perTensor(outScale, outZp));
            b.addOperator(BuiltinOperator.MEAN, 2, new BuiltinOptions.Reducer(keepDims),
                    new int[] {t0, b.addInt32Vector("axis", 1, 2)}, new int[] {y});
            b.addOutput(y);
            byte[] model = b.toBytes();
            byte[] data = r.data(TensorType.INT8, elementCount(in));

            MicroInterpreter interpreter = ModelRuns.allocated(model);
            interpreter.input(0).copyFrom(data);
            byte[][] motePadded = new byte[1][];
            interpreter.invoke(node -> {
                if (node.operatorIndex() == 0) {
                    motePadded[0] = node.output(0).toByteArray();
                }
            });
            byte[] moteOut = interpreter.output(0).toByteArray();
            byte[] tflitePadded;
            byte[] tfliteOut;
            try (TfliteOracle oracle = TfliteOracle.loadPreservingAllTensors(model)) {
                oracle.setInput(0, data);
                oracle.invoke();
                tflitePadded = oracle.tensor(t0);
                tfliteOut = oracle.output(0);
            }
            String what = "case " + c + ": " + Arrays.toString(in) + " pad " + p + " keep_dims " + keepDims;
            assertArrayEquals(tflitePadded, motePadded[0], what + ": PAD");
            DesktopMean.Path path = DesktopMean.path(in.length, keepDims, new int[] {1, 2}, inScale, inZp, outScale,
                    outZp);
            int n = padded[1] * padded[2];
            boolean differs = false;
            for (int bIdx = 0; bIdx < in[0]; bIdx++) {
                for (int ch = 0; ch < in[3]; ch++) {
                    long sum = 0;
                    for (int i = 0; i < padded[1] * padded[2]; i++) {
                        sum += tflitePadded[(bIdx * padded[1] * padded[2] + i) * in[3] + ch];
                    }
                    int o = bIdx * in[3] + ch;
                    assertEquals(DesktopMean.tflm(sum, n, inScale, inZp, outScale, outZp), moteOut[o], what);
                    assertEquals(DesktopMean.desktop(path, sum, n, inScale, inZp, outScale, outZp), tfliteOut[o], what);
                    assertTrue(Math.abs(moteOut[o] - tfliteOut[o]) <= 1, what);
                    differs |= moteOut[o] != tfliteOut[o];
                }
            }
            differing += differs ? 1 : 0;
        }
        System.out.printf("PAD-MEAN: %d of %d randomized chains differ from desktop TFLite, each only by MEAN's "
                + "known 1-LSB rounding%n", differing, cases);
    }
}
