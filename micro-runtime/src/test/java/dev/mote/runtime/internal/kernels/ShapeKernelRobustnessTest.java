package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.InvalidModelException;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.RandomCases;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random, mostly malformed nodes of every shape kernel (wrong ranks and dims, index tensors with values far
 * out of range, odd types): each must either run or be refused in prepare with an {@link InvalidModelException} that
 * names a field — never an index-out-of-bounds or any other unchecked exception.
 */
class ShapeKernelRobustnessTest {
    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32,
            TensorType.UINT8};
    private static final int[] EXTREMES = {Integer.MIN_VALUE, -1000, -7, -3, -2, -1, 0, 1, 2, 3, 4, 5, 7, 1000,
            Integer.MAX_VALUE};

    private static int value(RandomCases r) {
        return r.nextInt(6) == 0 ? EXTREMES[r.nextInt(EXTREMES.length)] : r.nextInt(5) - 1;
    }

    private static int[] values(RandomCases r, int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = value(r);
        }
        return v;
    }

    private static int constant(ModelBuilder b, RandomCases r, String name, int length) {
        int n = Math.max(1, length);
        return b.addInt32Constant(name, r.nextInt(6) == 0 ? new int[] {n, 1} : new int[] {n}, values(r, n),
                Quantization.NONE);
    }

    @Test
    void malformedNodesAreRefusedByNameOrRun() {
        RandomCases r = new RandomCases(0x5E5A_000CL);
        BuiltinOperator[] ops = {BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE, BuiltinOperator.EXPAND_DIMS,
                BuiltinOperator.TRANSPOSE, BuiltinOperator.STRIDED_SLICE, BuiltinOperator.CONCATENATION,
                BuiltinOperator.PAD, BuiltinOperator.PADV2, BuiltinOperator.MEAN};
        Map<BuiltinOperator, int[]> outcomes = new EnumMap<>(BuiltinOperator.class);
        for (int c = 0; c < 2700; c++) {
            BuiltinOperator op = ops[c % ops.length];
            TensorType type = TYPES[r.nextInt(TYPES.length)];
            TensorType outType = r.nextInt(10) == 0 ? TYPES[r.nextInt(TYPES.length)] : type;
            Quantization q = type == TensorType.INT8 ? Quantization.perTensor(0.1f, r.nextInt(256) - 128)
                    : Quantization.NONE;
            int rank = r.nextInt(7);
            int[] inShape = r.dims(rank, r.nextInt(8) == 0 ? 0 : 1, 4);
            int[] outShape = r.nextBoolean() ? inShape.clone() : r.dims(r.nextInt(7), 1, 4);
            ModelBuilder b = new ModelBuilder();
            int in = b.addInput("in", type, inShape, q);
            int out = b.addTensor("out", outType, outShape, q);
            int[] inputs;
            BuiltinOptions options;
            switch (op) {
                case RESHAPE -> {
                    options = new BuiltinOptions.Reshape(r.nextBoolean() ? values(r, r.nextInt(4)) : null);
                    inputs = r.nextBoolean() ? new int[] {in} : new int[] {in, constant(b, r, "shape", r.nextInt(4))};
                }
                case SQUEEZE -> {
                    options = new BuiltinOptions.Squeeze(values(r, r.nextInt(3)));
                    inputs = new int[] {in};
                }
                case EXPAND_DIMS -> {
                    options = new BuiltinOptions.Empty(BuiltinOptions.Types.EXPAND_DIMS);
                    inputs = new int[] {in, constant(b, r, "axis", r.nextInt(3))};
                }
                case TRANSPOSE -> {
                    options = new BuiltinOptions.Empty(BuiltinOptions.Types.TRANSPOSE);
                    inputs = new int[] {in, constant(b, r, "perm", rank + r.nextInt(2) - r.nextInt(2))};
                }
                case STRIDED_SLICE -> {
                    options = new BuiltinOptions.StridedSlice(value(r), value(r), r.nextInt(8) == 0 ? 1 : 0,
                            r.nextInt(8) == 0 ? 1 : 0, value(r), r.nextInt(8) == 0);
                    inputs = new int[] {in, constant(b, r, "begin", rank), constant(b, r, "end", rank),
                            constant(b, r, "strides", rank + (r.nextInt(8) == 0 ? 1 : 0))};
                }
                case CONCATENATION -> {
                    options = new BuiltinOptions.Concatenation(value(r), r.nextInt(8) == 0 ? 1 : 0);
                    int other = b.addInput("other", type, r.nextBoolean() ? inShape.clone()
                            : r.dims(r.nextInt(7), 1, 4), q);
                    inputs = new int[] {in, other};
                }
                case PAD, PADV2 -> {
                    options = new BuiltinOptions.Empty(BuiltinOptions.Types.PAD);
                    int paddings = b.addInt32Constant("paddings", new int[] {Math.max(1, rank), 2},
                            values(r, 2 * Math.max(1, rank)), Quantization.NONE);
                    inputs = op == BuiltinOperator.PAD ? new int[] {in, paddings}
                            : new int[] {in, paddings, b.addConstant("value", type, new int[0],
                                    new byte[type.bytesPerElement()], q)};
                }
                default -> {
                    options = new BuiltinOptions.Reducer(r.nextBoolean());
                    inputs = new int[] {in, constant(b, r, "axis", r.nextInt(4))};
                }
            }
            b.addOperator(op, 1, options, inputs, new int[] {out});
            b.addOutput(out);
            byte[] model = b.toBytes();
            int[] counts = outcomes.computeIfAbsent(op, k -> new int[2]);
            try {
                ModelRuns.allocated(model).invoke();
                counts[0]++;
            } catch (InvalidModelException e) {
                assertFalse(e.getMessage().contains("prepare failed"), "case " + c + " " + op
                        + ": an unchecked exception escaped prepare: " + e.getMessage());
                counts[1]++;
            } catch (RuntimeException e) {
                fail("case " + c + " " + op + " in " + type + Arrays.toString(inShape) + " out " + outType
                        + Arrays.toString(outShape) + ": " + e, e);
            }
        }
        outcomes.forEach((op, n) -> System.out.printf("%s: %d random nodes ran, %d were refused by name%n", op, n[0],
                n[1]));
    }
}
