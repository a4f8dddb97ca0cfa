package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.testing.ModelRuns;

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

/**
 * STRIDED_SLICE in Mote against desktop TFLite on seeded random shapes (rank 1 to 4), begin/end/strides (negative
 * and out-of-range indices, negative strides) and begin/end/shrink-axis masks.
 */
class StridedSliceTest {
    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32};
    private static final int[] STRIDES = {-3, -2, -1, -1, 1, 1, 1, 2, 3};

    /** The slice length along one axis, by TensorFlow's definition (negative indices wrap once, then clamp). */
    private static int length(int size, int begin, int end, int stride, boolean beginMasked, boolean endMasked) {
        int start;
        int stop;
        if (stride > 0) {
            start = beginMasked ? 0 : Math.max(0, Math.min(size, begin < 0 ? begin + size : begin));
            stop = endMasked ? size : Math.max(0, Math.min(size, end < 0 ? end + size : end));
            return Math.max(0, (stop - start + stride - 1) / stride);
        }
        start = beginMasked ? size - 1 : Math.max(-1, Math.min(size - 1, begin < 0 ? begin + size : begin));
        stop = endMasked ? -1 : Math.max(-1, Math.min(size - 1, end < 0 ? end + size : end));
        return Math.max(0, (start - stop - stride - 1) / -stride);
    }

    @Test
    void randomizedCasesMatchDesktopTfliteBitForBit() {
        RandomCases r = new RandomCases(0x5E5A_0005L);
        int cases = 500;
        int empty = 0;
        for (int c = 0; c < cases; c++) {
            TensorType type = TYPES[r.nextInt(TYPES.length)];
            int rank = 1 + r.nextInt(4);
            int[] inShape = r.dims(rank, 1, 7);
            int[] begin = new int[rank];
            int[] end = new int[rank];
            int[] strides = new int[rank];
            int beginMask = 0;
            int endMask = 0;
            int shrinkMask = 0;
            List<Integer> outShape = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                int size = inShape[d];
                boolean beginMasked = r.nextInt(4) == 0;
                boolean endMasked = r.nextInt(4) == 0;
                beginMask |= beginMasked ? 1 << d : 0;
                endMask |= endMasked ? 1 << d : 0;
                if (r.nextInt(5) == 0) {
                    shrinkMask |= 1 << d;
                    begin[d] = r.nextInt(2 * size) - size; // -size .. size-1
                    end[d] = r.nextInt(2 * size + 3) - size - 1;
                    strides[d] = 1 + r.nextInt(2);
                    continue;
                }
                strides[d] = STRIDES[r.nextInt(STRIDES.length)];
                if (r.nextInt(5) == 0) { // anything, often out of range or empty
                    begin[d] = r.nextInt(2 * size + 5) - size - 2;
                    end[d] = r.nextInt(2 * size + 5) - size - 2;
                } else { // a non-empty range in the stride's direction, indices sometimes written negative
                    int a = r.nextInt(size);
                    int e = r.nextInt(size + 1);
                    int lo = Math.min(a, e);
                    int hi = Math.max(a, e) + (a == e ? 1 : 0);
                    begin[d] = strides[d] > 0 ? lo : Math.min(hi, size - 1);
                    end[d] = strides[d] > 0 ? hi : lo - 1;
                    if (end[d] == -1 && r.nextInt(4) != 0) {
                        end[d] = -size - 1; // -1 would wrap to the last element: to reach index 0, go below -size
                    }
                    if (r.nextInt(3) == 0 && begin[d] < size && begin[d] >= 0) {
                        begin[d] -= size;
                    }
                    if (r.nextInt(3) == 0 && end[d] < size && end[d] > 0) {
                        end[d] -= size;
                    }
                }
                outShape.add(length(size, begin[d], end[d], strides[d], beginMasked, endMasked));
            }
            int[] out = outShape.stream().mapToInt(Integer::intValue).toArray();
            if (elementCount(out) == 0) {
                empty++;
            }
            Quantization q = r.quantization(type);
            ModelBuilder b = new ModelBuilder();
            int in = b.addInput("in", type, inShape, q);
            int[] inputs = {in, b.addInt32Vector("begin", begin), b.addInt32Vector("end", end),
                    b.addInt32Vector("strides", strides)};
            int output = b.addTensor("out", type, out, q);
            b.addOperator(BuiltinOperator.STRIDED_SLICE, type == TensorType.FLOAT32 ? 1 : 2,
                    new BuiltinOptions.StridedSlice(beginMask, endMask, 0, 0, shrinkMask, false), inputs,
                    new int[] {output});
            b.addOutput(output);
            byte[] model = b.toBytes();
            byte[] data = r.data(type, elementCount(inShape));
            String what = "case " + c + ": " + type + Arrays.toString(inShape) + " begin "
                    + Arrays.toString(begin) + " end " + Arrays.toString(end) + " strides "
                    + Arrays.toString(strides) + " masks " + beginMask + "/" + endMask + "/" + shrinkMask;
            ModelRuns.assertMatchesTfliteOrRefusedLikeTflm(model, what, data);
        }
        System.out.printf("STRIDED_SLICE: %d randomized cases (%d with an empty result), 0 differ from desktop "
                + "TFLite%n", cases, empty);
    }

    private static byte[] model(int[] inShape, int[] outShape, int[] begin, int[] end, int[] strides,
                                BuiltinOptions.StridedSlice options, boolean beginIsInput) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.FLOAT32, inShape, Quantization.NONE);
        int beginTensor = beginIsInput
                ? b.addInput("begin", TensorType.INT32, new int[] {begin.length}, Quantization.NONE)
                : b.addInt32Vector("begin", begin);
        int[] inputs = {in, beginTensor, b.addInt32Vector("end", end), b.addInt32Vector("strides", strides)};
        int out = b.addTensor("out", TensorType.FLOAT32, outShape, Quantization.NONE);
        b.addOperator(BuiltinOperator.STRIDED_SLICE, 1, options, inputs, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    private static BuiltinOptions.StridedSlice masks(int begin, int end, int ellipsis, int newAxis, int shrink) {
        return new BuiltinOptions.StridedSlice(begin, end, ellipsis, newAxis, shrink, false);
    }

    @Test
    void refusesAZeroStride() {
        assertRefused(model(new int[] {4}, new int[] {4}, new int[] {0}, new int[] {4}, new int[] {0},
                masks(0, 0, 0, 0, 0), false), BuiltinOperator.STRIDED_SLICE, "strides[0]");
    }

    @Test
    void runsTheMasksTflmIgnoresWithAWarningAndRefusesOffset() {
        var interpreter = new dev.mote.runtime.MicroInterpreter(model(new int[] {4}, new int[] {4}, new int[] {0},
                new int[] {4}, new int[] {1}, masks(0, 0, 1, 2, 0), false), dev.mote.runtime.OpResolver.allBuiltins(),
                64 * 1024);
        interpreter.allocateTensors();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("ellipsis_mask", "new_axis_mask"),
                interpreter.warnings().stream().map(dev.mote.runtime.ModelWarning::field).toList());
        assertRefused(model(new int[] {4}, new int[] {4}, new int[] {0}, new int[] {4}, new int[] {1},
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, true), false), BuiltinOperator.STRIDED_SLICE, "offset");
    }

    @Test
    void refusesANonConstantBegin() {
        assertRefused(model(new int[] {4}, new int[] {4}, new int[] {0}, new int[] {4}, new int[] {1},
                masks(0, 0, 0, 0, 0), true), BuiltinOperator.STRIDED_SLICE, "begin");
    }

    @Test
    void refusesIndexVectorsOfTheWrongLength() {
        assertRefused(model(new int[] {4, 2}, new int[] {4, 2}, new int[] {0}, new int[] {4, 2}, new int[] {1, 1},
                masks(0, 0, 0, 0, 0), false), BuiltinOperator.STRIDED_SLICE, "begin");
    }

    @Test
    void refusesAnOutputOfTheWrongShape() {
        assertRefused(model(new int[] {6}, new int[] {6}, new int[] {0}, new int[] {6}, new int[] {2},
                masks(0, 0, 0, 0, 0), false), BuiltinOperator.STRIDED_SLICE, "output");
    }

    @Test
    void refusesShrinkingOutOfRangeOrBackwards() {
        assertRefused(model(new int[] {4, 2}, new int[] {2}, new int[] {4, 0}, new int[] {5, 2}, new int[] {1, 1},
                masks(0, 0, 0, 0, 1), false), BuiltinOperator.STRIDED_SLICE, "begin[0]");
        assertRefused(model(new int[] {4, 2}, new int[] {2}, new int[] {-5, 0}, new int[] {-4, 2}, new int[] {1, 1},
                masks(0, 0, 0, 0, 1), false), BuiltinOperator.STRIDED_SLICE, "begin[0]");
        assertRefused(model(new int[] {4, 2}, new int[] {2}, new int[] {1, 0}, new int[] {0, 2}, new int[] {-1, 1},
                masks(0, 0, 0, 0, 1), false), BuiltinOperator.STRIDED_SLICE, "strides[0]");
    }

    @Test
    void refusesRankFive() {
        int[] ones = {1, 1, 1, 1, 1};
        assertRefused(model(ones, ones, new int[5], ones, ones, masks(0, 0, 0, 0, 0), false),
                BuiltinOperator.STRIDED_SLICE, "input");
    }
}
