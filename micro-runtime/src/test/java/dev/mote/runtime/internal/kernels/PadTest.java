package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.RandomCases;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.mote.runtime.testing.ModelRuns.assertRefused;
import static dev.mote.runtime.testing.ModelRuns.mote;
import static dev.mote.runtime.testing.ModelRuns.tflite;
import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * PAD and PADV2 in Mote against desktop TFLite on seeded random shapes (rank 1 to 5), paddings, zero points and pad
 * values. int8 PAD pads with the output zero point, float32 with 0.
 */
class PadTest {
    private static final TensorType[] PAD_TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16,
            TensorType.INT32};
    private static final TensorType[] PADV2_TYPES = {TensorType.FLOAT32, TensorType.INT8};

    @Test
    void randomizedCasesMatchDesktopTfliteBitForBit() {
        RandomCases r = new RandomCases(0x5E5A_0007L);
        int cases = 500;
        int v2 = 0;
        for (int c = 0; c < cases; c++) {
            boolean padV2 = r.nextInt(3) == 0;
            TensorType[] types = padV2 ? PADV2_TYPES : PAD_TYPES;
            TensorType type = types[r.nextInt(types.length)];
            int rank = 1 + r.nextInt(5);
            int[] inShape = r.dims(rank, 1, rank > 3 ? 3 : 5);
            int[] pads = new int[2 * rank];
            int[] outShape = new int[rank];
            boolean imageStyle = rank == 4 && r.nextBoolean(); // no padding of batch and channels
            for (int d = 0; d < rank; d++) {
                boolean padded = !(imageStyle && (d == 0 || d == 3));
                pads[2 * d] = padded ? r.nextInt(4) : 0;
                pads[2 * d + 1] = padded ? r.nextInt(4) : 0;
                outShape[d] = inShape[d] + pads[2 * d] + pads[2 * d + 1];
            }
            Quantization q = r.quantization(type);
            ModelBuilder b = new ModelBuilder();
            int in = b.addInput("in", type, inShape, q);
            int paddings = b.addInt32Constant("paddings", new int[] {rank, 2}, pads, Quantization.NONE);
            int[] inputs = {in, paddings};
            if (padV2) {
                v2++;
                inputs = new int[] {in, paddings, b.addConstant("value", type, new int[0], r.data(type, 1), q)};
            }
            int out = b.addTensor("out", type, outShape, q);
            b.addOperator(padV2 ? BuiltinOperator.PADV2 : BuiltinOperator.PAD, type == TensorType.FLOAT32 ? 1 : 2,
                    new BuiltinOptions.Empty(padV2 ? BuiltinOptions.Types.PADV2 : BuiltinOptions.Types.PAD), inputs,
                    new int[] {out});
            b.addOutput(out);
            byte[] model = b.toBytes();
            byte[] data = r.data(type, elementCount(inShape));
            String what = "case " + c + ": " + (padV2 ? "PADV2 " : "PAD ") + type + Arrays.toString(inShape)
                    + " paddings " + Arrays.toString(pads) + " zero point " + q.zeroPoint();
            assertArrayEquals(tflite(model, data), mote(model, data), what);
        }
        System.out.printf("PAD/PADV2: %d randomized cases (%d PADV2), 0 differ from desktop TFLite%n", cases, v2);
    }

    private static byte[] model(int[] inShape, int[] outShape, int[] paddingsShape, int[] pads,
                                boolean paddingsIsInput, Quantization valueQuantization) {
        Quantization q = Quantization.perTensor(0.5f, -7);
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, inShape, q);
        int paddings = paddingsIsInput ? b.addInput("paddings", TensorType.INT32, paddingsShape, Quantization.NONE)
                : b.addInt32Constant("paddings", paddingsShape, pads, Quantization.NONE);
        int[] inputs = {in, paddings};
        if (valueQuantization != null) {
            inputs = new int[] {in, paddings,
                    b.addConstant("value", TensorType.INT8, new int[0], new byte[] {4}, valueQuantization)};
        }
        int out = b.addTensor("out", TensorType.INT8, outShape, q);
        b.addOperator(valueQuantization != null ? BuiltinOperator.PADV2 : BuiltinOperator.PAD, 2,
                new BuiltinOptions.Empty(BuiltinOptions.Types.PAD), inputs, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    @Test
    void padsInt8WithTheOutputZeroPoint() {
        byte[] m = model(new int[] {1, 2}, new int[] {2, 3}, new int[] {2, 2}, new int[] {1, 0, 0, 1}, false, null);
        assertArrayEquals(new byte[] {-7, -7, -7, 5, 6, -7}, mote(m, new byte[] {5, 6}));
    }

    @Test
    void refusesNegativePaddings() {
        assertRefused(model(new int[] {3}, new int[] {2}, new int[] {1, 2}, new int[] {-1, 0}, false, null),
                BuiltinOperator.PAD, "paddings[0]");
    }

    @Test
    void refusesPaddingsOfTheWrongShape() {
        assertRefused(model(new int[] {3}, new int[] {5}, new int[] {2}, new int[] {1, 1}, false, null),
                BuiltinOperator.PAD, "paddings");
    }

    @Test
    void refusesNonConstantPaddings() {
        assertRefused(model(new int[] {3}, new int[] {5}, new int[] {1, 2}, new int[] {1, 1}, true, null),
                BuiltinOperator.PAD, "paddings");
    }

    @Test
    void refusesAnOutputOfTheWrongShape() {
        assertRefused(model(new int[] {3}, new int[] {6}, new int[] {1, 2}, new int[] {1, 1}, false, null),
                BuiltinOperator.PAD, "output");
    }

    @Test
    void refusesAPadValueWithOtherQuantization() {
        assertRefused(model(new int[] {3}, new int[] {5}, new int[] {1, 2}, new int[] {1, 1}, false,
                Quantization.perTensor(0.5f, 0)), BuiltinOperator.PADV2, "constant_values.quantization");
    }

    @Test
    void refusesRankSix() {
        int[] ones = {1, 1, 1, 1, 1, 1};
        assertRefused(model(ones, ones, new int[] {6, 2}, new int[12], false, null), BuiltinOperator.PAD, "input");
    }
}
