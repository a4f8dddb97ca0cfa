package dev.mote.samples;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.SequenceLayer;
import dev.mote.exporter.ExportOptions;
import dev.mote.exporter.TfliteExporter;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.trainer.Calibrator;
import dev.mote.trainer.Predictor;
import dev.mote.trainer.TrainedModel;
import dev.mote.trainer.Trainer;
import dev.mote.trainer.TrainingData;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every layer kind a sequence offers, declared as a user would, trained (DL4J), calibrated, fine-tuned
 * quantization-aware and exported: the int8 export runs identically in micro-runtime and real TFLM on both targets
 * with exactly TFLM's arena figures, and the float32 export on real TFLM computes what DL4J computes for the trained
 * model. Data: three classes of noisy waves (sine, square, sawtooth) of 24 steps × 2 channels.
 */
class SequenceLayerKindsEndToEndTest {
    private static final int STEPS = 24;
    private static final int CHANNELS = 2;
    private static final int ARENA = 64 * 1024;

    record Case(String name, ModelSpec spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        MicroModel graph = MicroModel.graph("add_concatenate");
        SequenceLayer in = graph.input(STEPS, CHANNELS);
        SequenceLayer a = in.conv1d(4, 3).padding(Padding.SAME).relu();
        SequenceLayer b = in.conv1d(4, 5).padding(Padding.SAME).relu();
        SequenceLayer joined = graph.concatenate(graph.add(a, b), in.dense(3));
        return List.of(
                new Case("conv1d options and pools", MicroModel.sequential("conv_pools").input(STEPS, CHANNELS)
                        .conv1d(6, 3).stride(2).padding(Padding.SAME).relu6()
                        .avgPool1d(2).stride(1).padding(Padding.SAME)
                        .conv1d(6, 3).dilation(2).withoutBias().batchNorm().leakyRelu(0.1f)
                        .maxPool1d(2)
                        .flatten().dense(3).softmax().build()),
                new Case("lstm, dense per step, last step", MicroModel.sequential("lstm_heads")
                        .input(STEPS, CHANNELS).lstm(8).dense(6).tanh().lastStep().dense(3).softmax().build()),
                new Case("conv1d into lstm, global average", MicroModel.sequential("conv_lstm")
                        .input(STEPS, CHANNELS).conv1d(8, 5).padding(Padding.SAME).sigmoid().dropout(0.1)
                        .lstm(6).hardSwish().globalAvgPool1d().dense(3).softmax().build()),
                new Case("add and concatenate of sequences", joined.lstm(5).lastStep().dense(3).softmax().build()),
                new Case("reshape between sequences", MicroModel.sequential("reshapes").input(STEPS, CHANNELS)
                        .reshape(STEPS / 2, 2 * CHANNELS).conv1d(4, 3).relu().flatten().dense(3).softmax()
                        .build()));
    }

    /** Noisy sine (class 0), square (1) and sawtooth (2) waves, random frequency and phase per channel. */
    static TrainingData waves(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][STEPS * CHANNELS];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int c = 0; c < CHANNELS; c++) {
                double f = 0.1 + 0.15 * r.nextDouble();
                double phase = r.nextDouble() * 2 * Math.PI;
                for (int t = 0; t < STEPS; t++) {
                    double p = f * t * 2 * Math.PI + phase;
                    double v = switch (labels[i]) {
                        case 0 -> Math.sin(p);
                        case 1 -> Math.signum(Math.sin(p));
                        default -> 2 * ((p / (2 * Math.PI)) % 1.0) - 1;
                    };
                    x[i][t * CHANNELS + c] = (float) (v + 0.1 * r.nextGaussian());
                }
            }
        }
        return TrainingData.classification(x, labels, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainsExportsAndRunsAsRealTflmDoes(Case c) {
        RealTflm host = RealTflm.require(ArenaTarget.HOST_64);
        RealTflm cortexM = RealTflm.require(ArenaTarget.CORTEX_M);
        TrainingData data = waves(240, 7);
        Trainer trainer = Trainer.builder().epochs(3).batchSize(32).learningRate(1e-2).seed(3).progressBar(false)
                .build();
        TrainedModel trained = trainer.train(c.spec(), data);
        TrainedModel calibrated = Calibrator.minMax().calibrate(trained, data.slice(0, 120));
        TrainedModel qat = trainer.toBuilder().epochs(1).learningRate(1e-3).build()
                .fineTuneQuantized(calibrated, data);

        byte[] int8 = TfliteExporter.export(c.spec(), qat).bytes();
        Random r = new Random(c.name().hashCode());
        for (RealTflm tflm : List.of(host, cortexM)) {
            ArenaTarget target = tflm.target();
            ArenaReport report = ArenaReport.of(int8, target);
            assertTrue(report.exact(), c + " on " + target + ": " + report.estimatedOps());
            for (int k = 0; k < 2; k++) {
                MicroInterpreter mote = new MicroInterpreter(int8, OpResolver.allBuiltins(), ARENA, target);
                mote.allocateTensors();
                byte[] input = new byte[mote.input(0).byteSize()];
                r.nextBytes(input);
                mote.input(0).copyFrom(input);
                mote.invoke();
                RealTflm.Run run = tflm.run(int8, ARENA, input, k == 0);
                assertTrue(run.allocated() && run.invoked(), c + " on " + target + ":\n" + run.log());
                assertArrayEquals(run.output(), mote.output(0).toByteArray(), c + " int8 output on " + target);
                assertEquals(run.arenaUsedBytes(), mote.arenaUsedBytes(), c + " arena used on " + target);
                if (k == 0) {
                    assertEquals(run.arenaUsedBytes(), report.usedBytes(), c + " reported arena on " + target);
                    assertEquals(run.smallestArena(), report.minimumArenaBytes(), c + " smallest arena on " + target);
                }
            }
        }

        byte[] float32 = TfliteExporter.export(c.spec(), trained, ExportOptions.float32()).bytes();
        float[][] examples = {data.slice(0, 1).features().toFloatVector(), data.slice(1, 2).features().toFloatVector()};
        float[][] dl4j = Predictor.floatModel(trained).predict(examples);
        for (int k = 0; k < examples.length; k++) {
            ByteBuffer in = ByteBuffer.allocate(4 * examples[k].length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : examples[k]) {
                in.putFloat(v);
            }
            RealTflm.Run run = host.run(float32, ARENA, in.array(), false);
            assertTrue(run.invoked(), c + " float32:\n" + run.log());
            ByteBuffer out = ByteBuffer.wrap(run.output()).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < dl4j[k].length; j++) {
                float tflm = out.getFloat();
                assertEquals(dl4j[k][j], tflm, 1e-4, c + " float32 class " + j + " of example " + k);
            }
        }
    }
}
