package dev.mote.exporter;

import dev.mote.dsl.InvalidModelSpecException;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.SequenceLayer;
import dev.mote.dsl.FlatLayer;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.tflm.ArenaComparison;
import dev.mote.runtime.tflm.DeviceCase;
import dev.mote.runtime.tflm.DeviceComparison;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random sequence models (conv1d with kernels, strides, dilations, SAME/VALID, batch norm and ReLU; max and
 * average pooling; global average pooling; dense per step; last step; flatten; LSTM of 1–32 units over 1–28 steps of
 * 1–28 features) exported float32 and int8 and run on real TFLM: (a) the float32 export equals
 * {@link SequenceReference} (a plain Java implementation from the parameters) within 1e-4 of the output's scale;
 * (b) the int8 export (float I/O) runs on both ABIs and stays within {@link #INT8_TOLERANCE} of it; (c) micro-runtime
 * computes TFLM's bytes (LSTM: only once micro-runtime can invoke it, else skipped), and Mote's arena figures equal
 * TFLM's on x86-64 and Cortex-M.
 */
class SequenceExportTflmTest {
    private static final int CASES = 10;
    private static final float FLOAT_TOLERANCE = 1e-4f;
    /** Of max(1, max |reference|): a few output steps of int8 after several requantizations. */
    private static final float INT8_TOLERANCE = 0.05f;

    record Case(String name, ModelSpec spec, SequenceReference.Parameters parameters, float[] input, boolean lstm) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        RandomCases r = new RandomCases(20261202);
        for (int k = 0; out.size() < CASES && k < 200; k++) {
            boolean lstm = out.size() % 2 == 1;
            ModelSpec spec;
            try {
                spec = lstm ? randomLstm(r, "lstm_" + out.size()) : randomConv(r, "conv1d_" + out.size());
            } catch (InvalidModelSpecException e) {
                continue;
            }
            out.add(of(spec, 100 + out.size(), lstm));
        }
        out.add(of(MicroModel.sequential("report_lstm").input(28, 28).lstm(20).lastStep().dense(10).softmax()
                .build(), 7, true));
        out.add(of(MicroModel.sequential("report_conv1d").input(128, 3).conv1d(16, 5).padding(Padding.SAME).relu()
                .maxPool1d(2).conv1d(16, 3).relu().globalAvgPool1d().dense(4).softmax().build(), 8, false));
        // TFLM's mnist_lstm example (train.py): Input(28, 28), LSTM(20, return_sequences=True), Flatten, Dense(10,
        // softmax); its .tflite is not available here, so the same architecture with seeded weights
        out.add(of(MicroModel.sequential("mnist_lstm").input(28, 28).lstm(20).flatten().dense(10).softmax()
                .build(), 10, true));
        // stride 2, dilation 2 VALID, average pooling SAME with stride 1, batch norm, dense per step
        out.add(of(LayerZoo.conv1d().spec(), 9, false));
        return out;
    }

    static Case of(ModelSpec spec, long seed, boolean lstm) {
        SequenceReference.Parameters p = new SequenceReference.Parameters(spec, seed);
        RandomCases r = new RandomCases(seed * 31);
        int n = (int) spec.inputShape().elementCount();
        float[][] calibration = new float[32][];
        for (int i = 0; i < calibration.length; i++) {
            calibration[i] = r.floats(n, -1f, 1f);
        }
        p.calibrate(spec, calibration);
        return new Case(spec.name(), spec, p, r.floats(n, -1f, 1f), lstm);
    }

    private static ModelSpec randomConv(RandomCases r, String name) {
        SequenceLayer s = MicroModel.sequential(name).input(r.between(6, 40), r.between(1, 8));
        int convs = r.between(1, 2);
        for (int c = 0; c < convs; c++) {
            var conv = s.conv1d(r.between(1, 12), r.between(1, 5));
            if (r.nextInt(2) == 0) {
                conv = conv.padding(Padding.SAME);
            }
            if (r.nextInt(3) == 0) {
                conv = conv.dilation(2);
            } else if (r.nextInt(2) == 0) {
                conv = conv.stride(2);
            }
            if (r.nextInt(3) == 0) {
                conv = conv.withoutBias();
            }
            s = r.nextInt(3) == 0 ? conv.batchNorm() : conv;
            int act = r.nextInt(3);
            s = act == 0 ? s.relu() : act == 1 ? s.relu6() : s;
            if (r.nextInt(2) == 0) {
                var pool = r.nextInt(2) == 0 ? s.maxPool1d(r.between(2, 3)) : s.avgPool1d(r.between(2, 3));
                s = r.nextInt(2) == 0 ? pool.padding(Padding.SAME) : pool;
            }
        }
        if (r.nextInt(3) == 0) {
            s = s.dense(r.between(1, 8));
            if (r.nextInt(2) == 0) {
                s = s.relu();
            }
        }
        int end = r.nextInt(3);
        FlatLayer flat = end == 0 ? s.globalAvgPool1d() : end == 1 ? s.lastStep() : s.flatten();
        FlatLayer d = flat.dense(r.between(2, 6));
        return (r.nextInt(2) == 0 ? d.softmax() : d).build();
    }

    private static ModelSpec randomLstm(RandomCases r, String name) {
        SequenceLayer s = MicroModel.sequential(name).input(r.between(1, 28), r.between(1, 28));
        if (r.nextInt(3) == 0) {
            s = s.conv1d(r.between(2, 8), 3).padding(Padding.SAME).relu();
        }
        s = s.lstm(r.between(1, 32));
        if (r.nextInt(3) == 0) {
            s = s.dense(r.between(1, 6));
        }
        FlatLayer flat = r.nextInt(3) == 0 ? s.flatten() : s.lastStep();
        return flat.dense(r.between(2, 6)).build();
    }

    private static byte[] floats(float[] x) {
        return LittleEndian.floats(x);
    }

    private static float maxAbs(float[] x) {
        float m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static void assertClose(String what, float[] expected, float[] actual, float tolerance) {
        assertTrue(expected.length == actual.length, what + ": " + actual.length + " values, expected "
                + expected.length);
        float scale = Math.max(1f, maxAbs(expected));
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        System.out.printf("SEQ-EXPORT %-40s max |error| %.3g (scale %.3g)%n", what, worst, scale);
        assertTrue(worst <= tolerance * scale, what + ": max |error| " + worst + " > " + tolerance + " × " + scale);
    }

    private static byte[] export(Case c, ExportOptions options) {
        return TfliteExporter.export(c.spec(), c.parameters(), options).bytes();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32ExportEqualsTheReferenceOnTflm(Case c) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        float[] expected = SequenceReference.output(c.spec(), c.parameters(), c.input());
        RealTflm.Run run = tflm.run(export(c, ExportOptions.float32()), ArenaComparison.ARENA_BYTES,
                floats(c.input()), false);
        assertTrue(run.invoked(), () -> c + ": TFLM did not run the float32 export\n" + run.log());
        assertClose(c + " float32", expected, LittleEndian.toFloats(run.output()), FLOAT_TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void int8ExportIsCloseToTheReferenceOnBothAbis(Case c) {
        float[] expected = SequenceReference.output(c.spec(), c.parameters(), c.input());
        byte[] model = export(c, ExportOptions.int8().withFloatIo(true));
        for (ArenaTarget target : List.of(ArenaTarget.HOST_64, ArenaTarget.CORTEX_M)) {
            RealTflm tflm = RealTflm.require(target);
            RealTflm.Run run = tflm.run(model, ArenaComparison.ARENA_BYTES, floats(c.input()), false);
            assertTrue(run.invoked(), () -> c + ": TFLM " + target + " did not run the int8 export\n" + run.log());
            assertClose(c + " int8 " + target.cliName(), expected, LittleEndian.toFloats(run.output()),
                    INT8_TOLERANCE);
        }
    }


    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void microRuntimeComputesTflmsBytes(Case c) {
        byte[] model = export(c, ExportOptions.int8());
        RandomCases r = new RandomCases(c.name().hashCode());
        int n = (int) c.spec().inputShape().elementCount();
        for (ArenaTarget target : List.of(ArenaTarget.HOST_64, ArenaTarget.CORTEX_M)) {
            RealTflm tflm = RealTflm.require(target);
            List<DeviceCase> inputs = List.of(new DeviceCase(c.name(), 0, "int8 input", model,
                    List.of(r.int8s(n))));
            for (DeviceComparison.Outcome o : DeviceComparison.runAll(tflm, inputs)) {
                assertTrue(o.identical(), () -> target.cliName() + " " + o.explain());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void arenaFiguresEqualTflmOnBothAbis(Case c) {
        List<DeviceCase> models = List.of(
                new DeviceCase(c.name() + " int8", 0, "export", export(c, ExportOptions.int8()), List.of()),
                new DeviceCase(c.name() + " float32", 0, "export", export(c, ExportOptions.float32()), List.of()));
        ArenaComparison.assertAllIdentical(c.name() + " x86-64", ArenaComparison.runAll(
                RealTflm.require(ArenaTarget.HOST_64), models));
        ArenaComparison.assertAllIdentical(c.name() + " Cortex-M", ArenaComparison.runAll(
                RealTflm.require(ArenaTarget.CORTEX_M), models.subList(0, 1)));
    }
}
