package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
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
 * "Accept what TFLM accepts" (issue 15): models on which Mote's verdict once differed from TFLM's, each run in Mote
 * and in real TFLM (x86-64). Where TFLM runs the model, both must run it with identical output bytes, and Mote must
 * report the suspicious part as a {@link ModelWarning}; where TFLM refuses it, both must refuse it.
 */
class RefusalsTflmTest {
    private static final Quantization Q = Quantization.perTensor(0.1f, 0);

    private static DeviceComparison.Outcome run(String what, byte[] model, byte[]... inputs) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        DeviceComparison.Outcome o = DeviceComparison.run(tflm, new DeviceCase(what, 0, what, model, List.of(inputs)));
        System.out.println("TFLM-REFUSAL " + o.explain().replace("\n", " "));
        return o;
    }

    /** Both run the model with identical output 0; Mote warns with {@code field} (null: no warning expected). */
    private static void assertBothRunIdentically(String what, byte[] model, String field, byte[]... inputs) {
        DeviceComparison.Outcome o = run(what, model, inputs);
        assertTrue(o.identical(), () -> "expected both to run it identically: " + o.explain());
        List<ModelWarning> warnings = warnings(model);
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

    private static List<ModelWarning> warnings(byte[] model) {
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), DeviceComparison.ARENA_BYTES);
        interpreter.allocateTensors();
        return interpreter.warnings();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
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

    private static SingleOpModel unary(BuiltinOperator op, BuiltinOptions options, TensorType type, int[] in,
                                       Quantization qin, int[] out, Quantization qout) {
        return new SingleOpModel(op, 1, options).input(type, in, qin).output(type, out, qout);
    }

    /** An int8 CONV_2D [1,5,5,3] * [4,3,3,3] VALID -> [1,3,3,4] with the given filter and bias quantization. */
    private static byte[] conv(Quantization filter, Quantization bias) {
        return new SingleOpModel(BuiltinOperator.CONV_2D, 3, BuiltinOptions.Conv2D.of(Padding.VALID, 1, 1,
                Activation.NONE))
                .input(TensorType.INT8, new int[] {1, 5, 5, 3}, Quantization.perTensor(0.05f, -3))
                .constant(TensorType.INT8, new int[] {4, 3, 3, 3}, random(108, 1), filter)
                .int32Constant(new int[] {4}, new int[] {100, -200, 300, 7}, bias)
                .output(TensorType.INT8, new int[] {1, 3, 3, 4}, Quantization.perTensor(0.2f, 5)).bytes();
    }

    private static final float[] FILTER_SCALES = {0.01f, 0.02f, 0.03f, 0.04f};
    private static final float[] BIAS_SCALES = {0.0005f, 0.001f, 0.0015f, 0.002f};

    /**
     * The person-detection MobileNet's case: a CONV_2D bias with per-channel scales on quantized_dimension 3 of a
     * 1-D bias. TFLM does not check the bias's axis (the kernel does not use it); Mote runs it and warns.
     */
    @Test
    void convBiasWithPerChannelAxisBeyondItsRankRunsInBoth() {
        byte[] m = conv(Quantization.perChannel(FILTER_SCALES, new long[4], 0),
                Quantization.perChannel(BIAS_SCALES, new long[4], 3));
        assertBothRunIdentically("CONV_2D bias [4] per-channel on quantized_dimension 3", m,
                "quantization.quantized_dimension", random(75, 2));
    }

    /** Filter zero points other than 0 (TFLM's int8 convolution ignores them) or fewer than the scales: both run. */
    @Test
    void convFilterZeroPointsAreIgnoredAsInTflm() {
        assertBothRunIdentically("CONV_2D filter zero points [0, 3, 0, -2]",
                conv(Quantization.perChannel(FILTER_SCALES, new long[] {0, 3, 0, -2}, 0),
                        Quantization.perChannel(BIAS_SCALES, new long[4], 0)),
                "filter.quantization.zero_point", random(75, 2));
        assertBothRunIdentically("CONV_2D filter with 2 zero points for 4 scales",
                conv(Quantization.perChannel(FILTER_SCALES, new long[2], 0),
                        Quantization.perChannel(BIAS_SCALES, new long[4], 0)),
                "quantization.zero_point", random(75, 2));
        assertBothRefuse("CONV_2D filter without zero points",
                conv(Quantization.perChannel(FILTER_SCALES, new long[0], 0),
                        Quantization.perChannel(BIAS_SCALES, new long[4], 0)), random(75, 2));
    }

    /** TFLM refuses a tensor with a zero dimension at rank 2 or more (AllocateTensors fails); so does Mote. */
    @Test
    void zeroSizeTensorsAtRankTwoOrMoreAreRefusedByBoth() {
        for (int[] shape : new int[][] {{2, 0}, {0, 2}, {1, 0}, {1, 0, 3}}) {
            SingleOpModel relu = unary(BuiltinOperator.RELU, new BuiltinOptions.Empty(0), TensorType.FLOAT32, shape,
                    Quantization.NONE, shape, Quantization.NONE);
            assertBothRefuse("RELU float32 " + java.util.Arrays.toString(shape), relu.bytes(), new byte[0]);
        }
        SingleOpModel slice = new SingleOpModel(BuiltinOperator.STRIDED_SLICE, 1,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false))
                .input(TensorType.INT8, new int[] {3, 6}, Q)
                .int32Vector(2, 0).int32Vector(1, 6).int32Vector(1, 1)
                .output(TensorType.INT8, new int[] {0, 6}, Q);
        assertBothRefuse("STRIDED_SLICE [3, 6] begin [2, 0] end [1, 6] -> [0, 6]", slice.bytes(), new byte[18]);
    }

    /** An unused zero-size tensor is fine in both (TFLM does not allocate it); Mote warns that it is unused. */
    @Test
    void unusedZeroSizeTensorRunsInBoth() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.FLOAT32, new int[] {2}, Quantization.NONE);
        b.addTensor("unused", TensorType.FLOAT32, new int[] {0, 3}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {2}, Quantization.NONE);
        b.addOperator(BuiltinOperator.RELU, 1, new BuiltinOptions.Empty(0), new int[] {in}, new int[] {out});
        b.addOutput(out);
        assertBothRunIdentically("RELU with an unused [0, 3] tensor", b.toBytes(), "tensor", floats(2, 1));
    }

    /** TFLM's rank-1 empty tensor is fine in both. */
    @Test
    void emptyVectorRunsInBoth() {
        SingleOpModel slice = new SingleOpModel(BuiltinOperator.STRIDED_SLICE, 1,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false))
                .input(TensorType.INT8, new int[] {6}, Q)
                .int32Vector(4).int32Vector(2).int32Vector(1)
                .output(TensorType.INT8, new int[] {0}, Q);
        DeviceComparison.Outcome o = run("STRIDED_SLICE [6] begin 4 end 2 -> [0]", slice.bytes(), new byte[6]);
        assertTrue(o.identical(), o::explain);
        assertEquals(0, o.tflm().output().length);
    }

    /**
     * TFLM's SQUEEZE only checks that each kept input dimension is at most the output's at that index and that the
     * byte sizes match, so it runs an output declared with another shape of the same size; so does Mote (warning).
     * A kept dimension larger than the output's is refused by both.
     */
    @Test
    void squeezeOutputShapeIsCheckedAsTflmChecksIt() {
        for (int[] out : new int[][] {{4, 3, 1}, {12}, {4, 3, 1, 1}}) {
            SingleOpModel m = unary(BuiltinOperator.SQUEEZE, new BuiltinOptions.Squeeze(new int[0]), TensorType.INT8,
                    new int[] {4, 3, 1}, Q, out, Q);
            assertBothRunIdentically("SQUEEZE [4, 3, 1] -> declared " + java.util.Arrays.toString(out), m.bytes(),
                    "output", random(12, 6));
        }
        SingleOpModel smaller = unary(BuiltinOperator.SQUEEZE, new BuiltinOptions.Squeeze(new int[0]),
                TensorType.INT8, new int[] {4, 3, 1}, Q, new int[] {3, 4}, Q);
        assertBothRefuse("SQUEEZE [4, 3, 1] -> declared [3, 4]", smaller.bytes(), random(12, 6));
        SingleOpModel bigger = unary(BuiltinOperator.SQUEEZE, new BuiltinOptions.Squeeze(new int[0]),
                TensorType.INT8, new int[] {4, 3, 1}, Q, new int[] {4, 4}, Q);
        assertBothRefuse("SQUEEZE [4, 3, 1] -> declared [4, 4]", bigger.bytes(), random(12, 6));
    }

    /**
     * int8 RELU6 with an output quantization other than the input's: TFLM clamps in the input's quantization and
     * ignores the output's; Mote computes the same bytes and warns.
     */
    @Test
    void relu6WithRequantizedOutputRunsInBoth() {
        SingleOpModel m = unary(BuiltinOperator.RELU6, new BuiltinOptions.Empty(0), TensorType.INT8, new int[] {8},
                Quantization.perTensor(0.05f, -10), new int[] {8}, Quantization.perTensor(0.1f, 3));
        assertBothRunIdentically("RELU6 int8 in (0.05, -10) out (0.1, 3)", m.bytes(), "output.quantization",
                new byte[] {-128, -20, -10, 0, 30, 60, 100, 127});
    }

    /** int8 TANH ignores its output quantization in TFLM (the output is in 1/128 steps); Mote too, with a warning. */
    @Test
    void tanhWithOtherOutputQuantizationRunsInBoth() {
        SingleOpModel m = unary(BuiltinOperator.TANH, new BuiltinOptions.Empty(0), TensorType.INT8, new int[] {16},
                Quantization.perTensor(0.05f, 0), new int[] {16}, Quantization.perTensor(0.1f, 3));
        assertBothRunIdentically("TANH int8 out (0.1, 3)", m.bytes(), "output.quantization", random(16, 5));
    }

    /** Elementwise ops loop over the flat size in TFLM: another output shape with as many elements runs in both. */
    @Test
    void elementwiseOutputWithOtherShapeOfSameSizeRunsInBoth() {
        assertBothRunIdentically("RELU float [2, 2] -> [4]", unary(BuiltinOperator.RELU, new BuiltinOptions.Empty(0),
                TensorType.FLOAT32, new int[] {2, 2}, Quantization.NONE, new int[] {4}, Quantization.NONE).bytes(),
                "output", floats(4, 3));
        assertBothRunIdentically("QUANTIZE int8 [8] -> [2, 4]", unary(BuiltinOperator.QUANTIZE,
                new BuiltinOptions.Empty(0), TensorType.INT8, new int[] {8}, Quantization.perTensor(0.05f, -10),
                new int[] {2, 4}, Quantization.perTensor(0.1f, 3)).bytes(), "output", random(8, 5));
        assertBothRunIdentically("LOGISTIC int8 [2, 3] -> [6]", unary(BuiltinOperator.LOGISTIC,
                new BuiltinOptions.Empty(0), TensorType.INT8, new int[] {2, 3}, Quantization.perTensor(0.05f, 0),
                new int[] {6}, Quantization.perTensor(1f / 256, -128)).bytes(), "output", random(6, 5));
    }

    /** A constant buffer longer than its tensor: TFLM reads the first bytes; Mote too, with a warning. */
    @Test
    void constantBufferLongerThanItsTensorRunsInBoth() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.FLOAT32, new int[] {2}, Quantization.NONE);
        int c = b.addConstant("c", TensorType.FLOAT32, new int[] {2}, floats(3, 9), Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {2}, Quantization.NONE);
        b.addOperator(BuiltinOperator.ADD, 1, new BuiltinOptions.Add(0, false), new int[] {in, c}, new int[] {out});
        b.addOutput(out);
        assertBothRunIdentically("ADD with a 12-byte buffer for a [2] float constant", b.toBytes(), "buffer",
                floats(2, 1));
    }

    /** TFLM does not read the operator version: version 0 runs in both (Mote warns). */
    @Test
    void operatorVersionZeroRunsInBoth() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.FLOAT32, new int[] {2}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {2}, Quantization.NONE);
        b.addOperator(BuiltinOperator.RELU, 0, new BuiltinOptions.Empty(0), new int[] {in}, new int[] {out});
        b.addOutput(out);
        assertBothRunIdentically("RELU with operator code version 0", b.toBytes(), "version", floats(2, 1));
    }

    /** A scale of 0 or -1 on a float tensor (no kernel reads it) and a rank-9 tensor: TFLM runs both; Mote too. */
    @Test
    void oddTensorDeclarationsTflmIgnoresRunInBoth() {
        for (float scale : new float[] {0f, -1f}) {
            assertBothRunIdentically("RELU float with output scale " + scale, unary(BuiltinOperator.RELU,
                    new BuiltinOptions.Empty(0), TensorType.FLOAT32, new int[] {4}, Quantization.NONE, new int[] {4},
                    Quantization.perTensor(scale, 0)).bytes(), "quantization.scale", floats(4, 3));
        }
        int[] rank9 = {1, 1, 1, 1, 1, 1, 1, 2, 2};
        assertBothRunIdentically("RELU float rank 9", unary(BuiltinOperator.RELU, new BuiltinOptions.Empty(0),
                TensorType.FLOAT32, rank9, Quantization.NONE, rank9, Quantization.NONE).bytes(), null, floats(4, 3));
    }

    /** Both refuse: the checks that agree with TFLM, kept as they are. */
    @Test
    void checksThatAgreeWithTflm() {
        assertBothRefuse("MAX_POOL_2D int8 output quantization differs", unary(BuiltinOperator.MAX_POOL_2D,
                new BuiltinOptions.Pool2D(1, 1, 1, 2, 2, 0), TensorType.INT8, new int[] {1, 4, 4, 2}, Q,
                new int[] {1, 3, 3, 2}, Quantization.perTensor(0.2f, 3)).bytes(), random(32, 4));
        assertBothRefuse("LOGISTIC int8 output (0.1, 3)", unary(BuiltinOperator.LOGISTIC, new BuiltinOptions.Empty(0),
                TensorType.INT8, new int[] {8}, Q, new int[] {8}, Quantization.perTensor(0.1f, 3)).bytes(),
                random(8, 5));
        assertBothRefuse("SOFTMAX int8 output (0.1, 3)", unary(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f),
                TensorType.INT8, new int[] {1, 8}, Q, new int[] {1, 8}, Quantization.perTensor(0.1f, 3)).bytes(),
                random(8, 5));
        assertBothRefuse("CONV_2D 3 filter scales for 4 output channels",
                conv(Quantization.perChannel(new float[] {0.01f, 0.02f, 0.03f}, new long[3], 3),
                        Quantization.perTensor(0.0005f, 0)), random(75, 2));
    }
}
