package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A keyword-spotting model in the shape of TFLM's {@code keyword_scrambled} test model, seeded weights: int16 input
 * {@code [1, 40]}, QUANTIZE to int8, three int8 SVDF layers (rank 1 with int16 state, rank 2 with int16 state, rank 1
 * with int8 state; fused RELU, which TFLM's integer SVDF ignores; all with a bias, since TFLM's SVDF prepare needs
 * one), FULLY_CONNECTED to 4 classes, SOFTMAX (int8 to int16, or, with {@code int16Softmax}, QUANTIZE to int16 and
 * the int16 lookup-table SOFTMAX). Run over {@value #INVOKES} invokes (the SVDF states carry over) on micro-runtime
 * and real TFLM: TFLM prints its first invoke only, so invoke k is compared with one invoke of a model holding the
 * network k times in a row, sharing the weights and the three state tensors, copy j reading input j. Arena figures
 * (used bytes, smallest arena) of the plain model equal TFLM's on x86-64 and Cortex-M, and so do its outputs on
 * Cortex-M.
 */
class KeywordModelTflmTest {
    static final int INVOKES = 4;
    static final int FEATURES = 40;

    @ParameterizedTest(name = "int16 softmax {0}")
    @ValueSource(booleans = {false, true})
    void severalInvokesAreIdenticalToTflm(boolean int16Softmax) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        for (long seed = 1; seed <= 3; seed++) {
            DeviceCase all = model(seed, int16Softmax, INVOKES);
            MicroInterpreter mote = new MicroInterpreter(model(seed, int16Softmax, 1).model(),
                    OpResolver.allBuiltins(), DeviceComparison.ARENA_BYTES);
            mote.allocateTensors();
            List<byte[]> outputs = new ArrayList<>();
            for (int k = 1; k <= INVOKES; k++) {
                DeviceCase played = model(seed, int16Softmax, k);
                mote.input(0).copyFrom(all.inputs().get(k - 1));
                mote.invoke();
                byte[] mine = mote.output(0).toByteArray();
                RealTflm.Run run = tflm.run(played.model(), DeviceComparison.ARENA_BYTES,
                        played.concatenatedInputs(), false);
                assertTrue(run.invoked(), () -> played + ": TFLM did not invoke:\n" + run.log());
                int invoke = k;
                assertArrayEquals(run.output(), mine, () -> played + ": invoke " + invoke);
                outputs.add(mine);
            }
            assertTrue(outputs.stream().map(java.util.Arrays::toString).distinct().count() > 1,
                    "every invoke gives the same output");
            mote.resetVariableTensors();
            mote.input(0).copyFrom(all.inputs().get(0));
            mote.invoke();
            assertArrayEquals(outputs.get(0), mote.output(0).toByteArray(), "invoke after resetVariableTensors");
            System.out.printf("KEYWORD seed %d%s: %d invokes identical to TFLM x86-64%n", seed,
                    int16Softmax ? " (int16 softmax)" : "", INVOKES);
        }
    }

    @ParameterizedTest(name = "int16 softmax {0}")
    @ValueSource(booleans = {false, true})
    void arenaFiguresAndCortexMOutputsEqualTflm(boolean int16Softmax) {
        List<DeviceCase> plain = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            plain.add(model(seed, int16Softmax, 1));
        }
        for (ArenaTarget target : new ArenaTarget[] {ArenaTarget.HOST_64, ArenaTarget.CORTEX_M}) {
            RealTflm tflm = RealTflm.require(target);
            List<ArenaComparison.Outcome> outcomes = ArenaComparison.runAll(tflm, plain);
            ArenaComparison.assertAllIdentical("keyword model" + (int16Softmax ? " int16 softmax" : ""), outcomes);
            for (ArenaComparison.Outcome o : outcomes) {
                System.out.printf("KEYWORD-ARENA %s seed %d%s: used %d, smallest %d (Mote = TFLM)%n",
                        target.cliName(), o.c().seed(), int16Softmax ? " (int16 softmax)" : "",
                        o.tflm().arenaUsedBytes(), o.tflm().smallestArena());
            }
        }
        RealTflm cm = RealTflm.require(ArenaTarget.CORTEX_M);
        DeviceCase played = model(1, int16Softmax, 2);
        DeviceComparison.assertAllIdentical("Cortex-M", "keyword model, 2 invokes",
                DeviceComparison.runAll(cm, List.of(played)));
    }

    /** The model of {@code seed} holding the network {@code plays} times in a row (see the class comment). */
    static DeviceCase model(long seed, boolean int16Softmax, int plays) {
        RandomCases r = new RandomCases(new SplittableRandom(seed));
        ModelBuilder b = new ModelBuilder();
        Quantization q16 = Quantization.perTensor(r.scale(0.0005, 0.002), 0);
        Quantization q8 = Quantization.perTensor(r.scale(0.02, 0.1), Draw.zeroPoint(r));
        int[] inputs = new int[plays];
        for (int p = 0; p < plays; p++) {
            inputs[p] = b.addInput("features_" + p, TensorType.INT16, new int[] {1, FEATURES}, q16);
        }
        // three SVDF layers: {units, rank, memory, state type}
        int[][] layers = {{16, 1, 8, 16}, {12, 2, 6, 16}, {8, 1, 4, 8}};
        int[][] weights = new int[layers.length][];
        int[] states = new int[layers.length];
        Quantization[] outQ = new Quantization[layers.length];
        Quantization inQ = q8;
        int width = FEATURES;
        for (int l = 0; l < layers.length; l++) {
            int units = layers[l][0];
            int rank = layers[l][1];
            int memory = layers[l][2];
            TensorType state = layers[l][3] == 16 ? TensorType.INT16 : TensorType.INT8;
            int filters = units * rank;
            float stateScale = state == TensorType.INT16 ? r.scale(0.0005, 0.005) : r.scale(0.02, 0.2);
            float timeScale = state == TensorType.INT16 ? r.scale(0.00002, 0.0002) : r.scale(0.005, 0.02);
            int wf = b.addConstant("svdf" + l + "_weights_feature", TensorType.INT8, new int[] {filters, width},
                    Draw.weights(r, filters * width), Quantization.perTensor(r.scale(0.005, 0.03), 0));
            byte[] time = state == TensorType.INT16 ? int16s(r, filters * memory, 8000)
                    : Draw.weights(r, filters * memory);
            int wt = b.addConstant("svdf" + l + "_weights_time", state, new int[] {filters, memory}, time,
                    Quantization.perTensor(timeScale, 0));
            float biasScale = stateScale * timeScale;
            int[] bias = new int[units];
            for (int u = 0; u < units; u++) {
                bias[u] = (int) (r.random().nextGaussian() * 0.5 / biasScale);
            }
            int bi = b.addConstant("svdf" + l + "_bias", TensorType.INT32, new int[] {units},
                    LittleEndian.ints(bias), Quantization.perTensor(biasScale, 0));
            states[l] = b.addVariable("svdf" + l + "_state", state, new int[] {1, memory * filters},
                    Quantization.perTensor(stateScale, 0));
            weights[l] = new int[] {wf, wt, bi, rank};
            outQ[l] = Quantization.perTensor(r.scale(0.02, 0.2), -128); // after a RELU
            width = units;
        }
        int classes = 4;
        Quantization wq = Quantization.perTensor(r.scale(0.005, 0.03), 0);
        int fcW = b.addConstant("fc_weights", TensorType.INT8, new int[] {classes, width},
                Draw.weights(r, classes * width), wq);
        float fcBiasScale = outQ[layers.length - 1].scale() * wq.scale();
        int[] fcBias = new int[classes];
        for (int c = 0; c < classes; c++) {
            fcBias[c] = (int) (r.random().nextGaussian() * 1.0 / fcBiasScale);
        }
        int fcB = b.addConstant("fc_bias", TensorType.INT32, new int[] {classes}, LittleEndian.ints(fcBias),
                Quantization.perTensor(fcBiasScale, 0));
        Quantization logitsQ = Quantization.perTensor(r.scale(0.05, 0.2), Draw.zeroPoint(r));
        Quantization logits16Q = Quantization.perTensor(r.scale(0.0002, 0.001), 0);
        int y = -1;
        for (int p = 0; p < plays; p++) {
            int x = b.addTensor("quantized_" + p, TensorType.INT8, new int[] {1, FEATURES}, q8);
            b.addOperator(BuiltinOperator.QUANTIZE, 2, new BuiltinOptions.Empty(0), new int[] {inputs[p]},
                    new int[] {x});
            for (int l = 0; l < layers.length; l++) {
                int out = b.addTensor("svdf" + l + "_out_" + p, TensorType.INT8, new int[] {1, layers[l][0]},
                        outQ[l]);
                b.addOperator(BuiltinOperator.SVDF, 3, new BuiltinOptions.Svdf(weights[l][3], 1, false),
                        new int[] {x, weights[l][0], weights[l][1], weights[l][2], states[l]}, new int[] {out});
                x = out;
            }
            int logits = b.addTensor("logits_" + p, TensorType.INT8, new int[] {1, classes}, logitsQ);
            b.addOperator(BuiltinOperator.FULLY_CONNECTED, 4, new BuiltinOptions.FullyConnected(0, 0, false, false),
                    new int[] {x, fcW, fcB}, new int[] {logits});
            if (int16Softmax) {
                int logits16 = b.addTensor("logits16_" + p, TensorType.INT16, new int[] {1, classes}, logits16Q);
                b.addOperator(BuiltinOperator.QUANTIZE, 2, new BuiltinOptions.Empty(0), new int[] {logits},
                        new int[] {logits16});
                logits = logits16;
            }
            y = b.addTensor("probabilities_" + p, TensorType.INT16, new int[] {1, classes}, int16Softmax
                    ? Quantization.perTensor(1f / 32768, 0) : Quantization.perTensor(1f / 65536, -32768));
            b.addOperator(BuiltinOperator.SOFTMAX, int16Softmax ? 3 : 2, new BuiltinOptions.Softmax(1.0f),
                    new int[] {logits}, new int[] {y});
        }
        b.addOutput(y);
        List<byte[]> data = new ArrayList<>();
        for (int p = 0; p < INVOKES; p++) {
            byte[] x = int16s(r, FEATURES, 8000);
            if (p < plays) {
                data.add(x);
            }
        }
        return new DeviceCase("keyword model", seed, (int16Softmax ? "int16 softmax, " : "") + plays
                + " copies of the network", b.toBytes(), data);
    }

    private static byte[] int16s(RandomCases r, int n, int limit) {
        ByteBuffer bb = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bb.putShort((short) r.between(-limit, limit));
        }
        return bb.array();
    }
}
