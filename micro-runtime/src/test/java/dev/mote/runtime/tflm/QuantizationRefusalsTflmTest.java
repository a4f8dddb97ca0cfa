package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Padding;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, second part: scale-0 operands, options TFLM ignores, quantization checks of PAD/PADV2/CONCATENATION,
 * MEAN duplicate axes, output types of byte-copy ops, and scales without zero points, each run in Mote and in real
 * TFLM (x86-64): both run identically (Mote warning on {@code field}), or both refuse.
 */
class QuantizationRefusalsTflmTest {
    private static final Quantization Q = Quantization.perTensor(0.1f, 2);
    private static final Quantization ZERO = Quantization.perTensor(0f, 3);
    private static final Quantization NO_ZERO_POINT = new Quantization(new float[] {0.1f}, new long[0], 0,
            new float[0], new float[0]);
    private static final TensorType I8 = TensorType.INT8;
    private static final TensorType F32 = TensorType.FLOAT32;
    private static final BuiltinOptions NONE = new BuiltinOptions.Empty(0);

    private static DeviceComparison.Outcome run(String what, byte[] model, byte[]... inputs) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        DeviceComparison.Outcome o = DeviceComparison.run(tflm, new DeviceCase(what, 0, what, model, List.of(inputs)));
        System.out.println("TFLM-REFUSAL " + o.explain().replace("\n", " "));
        return o;
    }

    private static void assertBothRunIdentically(String what, byte[] model, String field, byte[]... inputs) {
        DeviceComparison.Outcome o = run(what, model, inputs);
        assertTrue(o.identical(), () -> "expected both to run it identically: " + o.explain());
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(),
                DeviceComparison.ARENA_BYTES);
        interpreter.allocateTensors();
        List<ModelWarning> warnings = interpreter.warnings();
        if (field == null) {
            assertEquals(List.of(), warnings);
        } else {
            assertTrue(warnings.stream().anyMatch(w -> w.field().equals(field)),
                    () -> what + ": expected a warning on " + field + ", got " + warnings);
        }
    }

    private static void assertBothRefuse(String what, byte[] model, byte[]... inputs) {
        DeviceComparison.Outcome o = run(what, model, inputs);
        assertTrue(!o.moteRan() && !o.tflmRan(), () -> "expected both to refuse it: " + o.explain());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Every int8 value once. */
    private static byte[] everyInt8() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] floats(int n, long seed) {
        Random r = new Random(seed);
        ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bb.putFloat((float) r.nextGaussian());
        }
        return bb.array();
    }

    private static byte[] unary(BuiltinOperator op, BuiltinOptions options, Quantization in, TensorType outType,
                                Quantization out) {
        return new SingleOpModel(op, 1, options).input(I8, new int[] {256}, in)
                .output(outType, new int[] {256}, out).bytes();
    }

    private static Quantization fixedOutput(BuiltinOperator op) {
        return op == BuiltinOperator.LOGISTIC ? Quantization.perTensor(1f / 256, -128)
                : op == BuiltinOperator.TANH ? Quantization.perTensor(1f / 128, 0) : Q;
    }

    private static final BuiltinOperator[] UNARY = {BuiltinOperator.RELU, BuiltinOperator.RELU6,
        BuiltinOperator.LOGISTIC, BuiltinOperator.TANH, BuiltinOperator.HARD_SWISH};

    /**
     * An input scale of 0 that TFLM only multiplies (rescaling multiplier 0: every input reads as 0) runs in both,
     * with a warning: QUANTIZE (outputs its zero point), DEQUANTIZE (0), RELU, LOGISTIC, TANH, HARD_SWISH,
     * LEAKY_RELU, MUL, MEAN, CONV_2D, DEPTHWISE_CONV_2D, and pooling without an activation.
     */
    @Test
    void inputScaleZeroRunsInBoth() {
        byte[] all = everyInt8();
        assertBothRunIdentically("QUANTIZE int8 input scale 0", unary(BuiltinOperator.QUANTIZE, NONE, ZERO, I8, Q),
                "input.quantization.scale", all);
        assertBothRunIdentically("DEQUANTIZE input scale 0", unary(BuiltinOperator.DEQUANTIZE, NONE, ZERO, F32,
                Quantization.NONE), "input.quantization.scale", all);
        for (BuiltinOperator op : UNARY) {
            if (op != BuiltinOperator.RELU6) {
                assertBothRunIdentically(op + " input scale 0", unary(op, NONE, ZERO, I8, fixedOutput(op)),
                        "input.quantization.scale", all);
            }
        }
        assertBothRunIdentically("TANH input and output scale 0", unary(BuiltinOperator.TANH, NONE, ZERO, I8, ZERO),
                "input.quantization.scale", all);
        assertBothRunIdentically("LEAKY_RELU input scale 0", unary(BuiltinOperator.LEAKY_RELU,
                new BuiltinOptions.LeakyRelu(0.2f), ZERO, I8, Q), "input.quantization.scale", all);
        assertBothRunIdentically("MUL input1 scale 0", new SingleOpModel(BuiltinOperator.MUL, 1,
                new BuiltinOptions.Mul(1)).input(I8, new int[] {256}, ZERO).input(I8, new int[] {256}, Q)
                .output(I8, new int[] {256}, Q).bytes(), "input1.quantization.scale", all, random(256, 7));
        assertBothRunIdentically("MEAN input scale 0", new SingleOpModel(BuiltinOperator.MEAN, 1,
                new BuiltinOptions.Reducer(true)).input(I8, new int[] {1, 4, 4, 16}, ZERO).int32Vector(1, 2)
                .output(I8, new int[] {1, 1, 1, 16}, Q).bytes(), "input.quantization.scale", all);
        for (BuiltinOperator op : new BuiltinOperator[] {BuiltinOperator.AVERAGE_POOL_2D,
            BuiltinOperator.MAX_POOL_2D}) {
            assertBothRunIdentically(op + " scale 0", new SingleOpModel(op, 1,
                    new BuiltinOptions.Pool2D(1, 1, 1, 2, 2, 0)).input(I8, new int[] {1, 8, 8, 4}, ZERO)
                    .output(I8, new int[] {1, 7, 7, 4}, ZERO).bytes(), "input.quantization.scale", all);
        }
        assertBothRunIdentically("CONV_2D input scale 0", new SingleOpModel(BuiltinOperator.CONV_2D, 3,
                BuiltinOptions.Conv2D.of(Padding.SAME, 1, 1, Activation.RELU))
                .input(I8, new int[] {1, 5, 5, 3}, ZERO)
                .constant(I8, new int[] {4, 3, 3, 3}, random(108, 1), Quantization.perChannel(
                        new float[] {0.01f, 0.02f, 0.03f, 0.04f}, new long[4], 0))
                .int32Constant(new int[] {4}, new int[] {100, -200, 300, 7}, Quantization.NONE)
                .output(I8, new int[] {1, 5, 5, 4}, Quantization.perTensor(0.2f, -5)).bytes(),
                "input.quantization.scale", random(75, 9));
        assertBothRunIdentically("DEPTHWISE_CONV_2D input scale 0", new SingleOpModel(
                BuiltinOperator.DEPTHWISE_CONV_2D, 1, new BuiltinOptions.DepthwiseConv2D(0, 1, 1, 1, 0, 1, 1))
                .input(I8, new int[] {1, 3, 3, 4}, ZERO)
                .constant(I8, new int[] {1, 3, 3, 4}, random(36, 1), Quantization.perChannel(
                        new float[] {0.01f, 0.02f, 0.03f, 0.04f}, new long[4], 3))
                .int32Constant(new int[] {4}, new int[] {100, -200, 300, 7}, Quantization.NONE)
                .output(I8, new int[] {1, 3, 3, 4}, Quantization.perTensor(0.2f, 1)).bytes(),
                "input.quantization.scale", random(36, 4));
    }

    /** An output scale of 0 where TFLM's kernel ignores the output quantization (RELU6, TANH) runs in both. */
    @Test
    void ignoredOutputScaleZeroRunsInBoth() {
        for (BuiltinOperator op : new BuiltinOperator[] {BuiltinOperator.RELU6, BuiltinOperator.TANH}) {
            assertBothRunIdentically(op + " output scale 0", unary(op, NONE, Q, I8, ZERO),
                    "output.quantization.scale", everyInt8());
        }
    }

    /** Scale-0 operands that TFLM refuses: ADD/SUB inputs (divided by), SOFTMAX input, LOGISTIC output. */
    @Test
    void scaleZeroThatTflmRefusesIsRefusedByBoth() {
        byte[] in = random(8, 1);
        assertBothRefuse("ADD input1 scale 0", new SingleOpModel(BuiltinOperator.ADD, 1,
                new BuiltinOptions.Add(0, false)).input(I8, new int[] {8}, ZERO).input(I8, new int[] {8}, Q)
                .output(I8, new int[] {8}, Q).bytes(), in, in);
        assertBothRefuse("SUB input2 scale 0", new SingleOpModel(BuiltinOperator.SUB, 1,
                new BuiltinOptions.Sub(0, false)).input(I8, new int[] {8}, Q).input(I8, new int[] {8}, ZERO)
                .output(I8, new int[] {8}, Q).bytes(), in, in);
        assertBothRefuse("SOFTMAX input scale 0", new SingleOpModel(BuiltinOperator.SOFTMAX, 1,
                new BuiltinOptions.Softmax(1f)).input(I8, new int[] {1, 8}, ZERO)
                .output(I8, new int[] {1, 8}, Quantization.perTensor(1f / 256, -128)).bytes(), in);
        assertBothRefuse("LOGISTIC output scale 0", unary(BuiltinOperator.LOGISTIC, NONE, Q, I8, ZERO), everyInt8());
        assertBothRefuse("MAX_POOL_2D input scale 0, output 0.1", new SingleOpModel(BuiltinOperator.MAX_POOL_2D, 1,
                new BuiltinOptions.Pool2D(1, 1, 1, 2, 2, 0)).input(I8, new int[] {1, 2, 4, 1}, ZERO)
                .output(I8, new int[] {1, 1, 3, 1}, Q).bytes(), in);
    }

    /** STRIDED_SLICE: TFLM ignores ellipsis_mask and new_axis_mask (both run, Mote warns) and refuses offset. */
    @Test
    void stridedSliceMasksAsTflm() {
        for (int[] masks : new int[][] {{1, 0}, {2, 0}, {0, 1}, {0, 2}}) {
            SingleOpModel m = new SingleOpModel(BuiltinOperator.STRIDED_SLICE, 1,
                    new BuiltinOptions.StridedSlice(0, 0, masks[0], masks[1], 0, false))
                    .input(I8, new int[] {3, 6}, Q).int32Vector(1, 1).int32Vector(2, 3).int32Vector(1, 1)
                    .output(I8, new int[] {1, 2}, Q);
            assertBothRunIdentically("STRIDED_SLICE ellipsis_mask " + masks[0] + " new_axis_mask " + masks[1],
                    m.bytes(), masks[0] != 0 ? "ellipsis_mask" : "new_axis_mask", random(18, 3));
        }
        assertBothRefuse("STRIDED_SLICE offset", new SingleOpModel(BuiltinOperator.STRIDED_SLICE, 1,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, true))
                .input(I8, new int[] {3, 6}, Q).int32Vector(1, 1).int32Vector(2, 3).int32Vector(1, 1)
                .output(I8, new int[] {1, 3}, Q).bytes(), random(18, 3));
    }

    /** FULLY_CONNECTED: TFLM ignores weights_format (int8 and float: both run, Mote warns). */
    @Test
    void fullyConnectedWeightsFormatIsIgnoredAsInTflm() {
        assertBothRunIdentically("FULLY_CONNECTED int8 weights_format 1", new SingleOpModel(
                BuiltinOperator.FULLY_CONNECTED, 1, new BuiltinOptions.FullyConnected(0, 1, false, false))
                .input(I8, new int[] {1, 8}, Quantization.perTensor(0.05f, -3))
                .constant(I8, new int[] {4, 8}, random(32, 1), Quantization.perTensor(0.02f, 0))
                .int32Constant(new int[] {4}, new int[] {100, -200, 300, 7}, Quantization.perTensor(0.001f, 0))
                .output(I8, new int[] {1, 4}, Quantization.perTensor(0.2f, 5)).bytes(), "weights_format",
                random(8, 1));
        assertBothRunIdentically("FULLY_CONNECTED float weights_format 1", new SingleOpModel(
                BuiltinOperator.FULLY_CONNECTED, 1, new BuiltinOptions.FullyConnected(0, 1, false, false))
                .input(F32, new int[] {1, 8}, Quantization.NONE).constant(F32, new int[] {4, 8}, floats(32, 2),
                        Quantization.NONE)
                .output(F32, new int[] {1, 4}, Quantization.NONE).bytes(), "weights_format", floats(8, 1));
    }

    /** PAD/PADV2 and CONCATENATION quantization checks and MEAN's duplicate axes agree with TFLM. */
    @Test
    void padConcatenationAndMeanAgreeWithTflm() {
        byte[] in = random(6, 2);
        assertBothRunIdentically("PAD int8 output quantization differs", new SingleOpModel(BuiltinOperator.PAD, 1,
                NONE).input(I8, new int[] {2, 3}, Q).int32Constant(new int[] {2, 2}, new int[] {1, 0, 0, 2},
                Quantization.NONE).output(I8, new int[] {3, 5}, Quantization.perTensor(0.2f, -7)).bytes(), null, in);
        assertBothRunIdentically("PADV2 output quantization differs from the input's", new SingleOpModel(
                BuiltinOperator.PADV2, 1, NONE).input(I8, new int[] {2, 3}, Q).int32Constant(new int[] {2, 2},
                new int[] {1, 0, 0, 2}, Quantization.NONE).constant(I8, new int[] {1}, new byte[] {9},
                Quantization.perTensor(0.2f, -7)).output(I8, new int[] {3, 5}, Quantization.perTensor(0.2f, -7))
                .bytes(), null, in);
        assertBothRefuse("PADV2 constant_values quantization differs", new SingleOpModel(BuiltinOperator.PADV2, 1,
                NONE).input(I8, new int[] {2, 3}, Q).int32Constant(new int[] {2, 2}, new int[] {1, 0, 0, 2},
                Quantization.NONE).constant(I8, new int[] {1}, new byte[] {9}, Quantization.perTensor(0.3f, 1))
                .output(I8, new int[] {3, 5}, Q).bytes(), in);
        assertBothRefuse("PADV2 constant_values not quantized", new SingleOpModel(BuiltinOperator.PADV2, 1, NONE)
                .input(I8, new int[] {2, 3}, Q).int32Constant(new int[] {2, 2}, new int[] {1, 0, 0, 2},
                        Quantization.NONE).constant(I8, new int[] {1}, new byte[] {9}, Quantization.NONE)
                .output(I8, new int[] {3, 5}, Q).bytes(), in);
        assertBothRefuse("CONCATENATION input quantization differs", new SingleOpModel(
                BuiltinOperator.CONCATENATION, 1, new BuiltinOptions.Concatenation(1, 0))
                .input(I8, new int[] {2, 3}, Q).input(I8, new int[] {2, 2}, Quantization.perTensor(0.3f, 4))
                .output(I8, new int[] {2, 5}, Q).bytes(), in, random(4, 3));
        assertBothRunIdentically("MEAN int8 axes [1, 1]", new SingleOpModel(BuiltinOperator.MEAN, 1,
                new BuiltinOptions.Reducer(false)).input(I8, new int[] {2, 4}, Q).int32Vector(1, 1)
                .output(I8, new int[] {2}, Q).bytes(), null, random(8, 1));
        assertBothRunIdentically("MEAN float axes [1, -1] keep_dims", new SingleOpModel(BuiltinOperator.MEAN, 1,
                new BuiltinOptions.Reducer(true)).input(F32, new int[] {2, 4}, Quantization.NONE).int32Vector(1, -1)
                .output(F32, new int[] {2, 1}, Quantization.NONE).bytes(), null, floats(8, 5));
    }

    /**
     * SQUEEZE and EXPAND_DIMS copy bytes without a type check in TFLM: another output type of the same element size
     * runs in both (Mote warns). RESHAPE, TRANSPOSE, STRIDED_SLICE and PAD check it in TFLM: both refuse.
     */
    @Test
    void outputTypesOfShapeOpsAsTflm() {
        TensorType u8 = TensorType.UINT8;
        assertBothRunIdentically("SQUEEZE int8 -> uint8", new SingleOpModel(BuiltinOperator.SQUEEZE, 1,
                new BuiltinOptions.Squeeze(new int[0])).input(I8, new int[] {1, 4}, Q).output(u8, new int[] {4}, Q)
                .bytes(), "output", random(4, 1));
        assertBothRunIdentically("SQUEEZE float32 -> int32", new SingleOpModel(BuiltinOperator.SQUEEZE, 1,
                new BuiltinOptions.Squeeze(new int[0])).input(F32, new int[] {1, 4}, Quantization.NONE)
                .output(TensorType.INT32, new int[] {4}, Quantization.NONE).bytes(), "output", floats(4, 1));
        assertBothRunIdentically("EXPAND_DIMS int8 -> uint8", new SingleOpModel(BuiltinOperator.EXPAND_DIMS, 1,
                NONE).input(I8, new int[] {4}, Q).int32Vector(0).output(u8, new int[] {1, 4}, Q).bytes(), "output",
                random(4, 1));
        assertBothRefuse("RESHAPE int8 -> uint8", new SingleOpModel(BuiltinOperator.RESHAPE, 1,
                new BuiltinOptions.Reshape(new int[] {4})).input(I8, new int[] {1, 4}, Q)
                .output(u8, new int[] {4}, Q).bytes(), random(4, 1));
        assertBothRefuse("TRANSPOSE int8 -> uint8", new SingleOpModel(BuiltinOperator.TRANSPOSE, 1, NONE)
                .input(I8, new int[] {2, 2}, Q).int32Vector(1, 0).output(u8, new int[] {2, 2}, Q).bytes(),
                random(4, 1));
        assertBothRefuse("STRIDED_SLICE int8 -> uint8", new SingleOpModel(BuiltinOperator.STRIDED_SLICE, 1,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false)).input(I8, new int[] {4}, Q).int32Vector(0)
                .int32Vector(4).int32Vector(1).output(u8, new int[] {4}, Q).bytes(), random(4, 1));
        assertBothRefuse("PAD int8 -> uint8", new SingleOpModel(BuiltinOperator.PAD, 1, NONE)
                .input(I8, new int[] {4}, Q).int32Constant(new int[] {1, 2}, new int[] {1, 0}, Quantization.NONE)
                .output(u8, new int[] {5}, Q).bytes(), random(4, 1));
    }

    /**
     * Scales without zero points: TFLM reads the tensor as not quantized (scale 0, zero point 0). Where that refuses
     * (CONV_2D input, QUANTIZE output) both refuse; pooling without an activation reads no scale and runs in both.
     */
    @Test
    void scalesWithoutZeroPointsAsTflm() {
        assertBothRefuse("CONV_2D input without zero point", new SingleOpModel(BuiltinOperator.CONV_2D, 3,
                BuiltinOptions.Conv2D.of(Padding.SAME, 1, 1, Activation.NONE))
                .input(I8, new int[] {1, 5, 5, 3}, NO_ZERO_POINT)
                .constant(I8, new int[] {4, 3, 3, 3}, random(108, 1), Quantization.perChannel(
                        new float[] {0.01f, 0.02f, 0.03f, 0.04f}, new long[4], 0))
                .int32Constant(new int[] {4}, new int[] {100, -200, 300, 7}, Quantization.NONE)
                .output(I8, new int[] {1, 5, 5, 4}, Quantization.perTensor(0.2f, -5)).bytes(), random(75, 9));
        assertBothRefuse("QUANTIZE output without zero point", unary(BuiltinOperator.QUANTIZE, NONE, Q, I8,
                NO_ZERO_POINT), everyInt8());
        assertBothRunIdentically("MAX_POOL_2D without zero points", new SingleOpModel(BuiltinOperator.MAX_POOL_2D, 1,
                new BuiltinOptions.Pool2D(1, 1, 1, 2, 2, 0)).input(I8, new int[] {1, 8, 8, 4}, NO_ZERO_POINT)
                .output(I8, new int[] {1, 7, 7, 4}, NO_ZERO_POINT).bytes(), "quantization.zero_point", everyInt8());
    }
}
