package dev.mote.exporter;

import dev.mote.runtime.MicroInterpreter;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every layer kind the DSL offers, in seeded random models calibrated through the real TFLite interpreter: the int8
 * export lowers to the expected operators, loads in desktop TFLite and in Mote, and both compute identical outputs
 * except for proven negative-half rounding ties. The float32 export loads in both and agrees within 1e-4.
 *
 * <p>Where Mote has no kernel yet for an operator of a model, the Mote half of that test is skipped with a message
 * (the TFLite half has run by then).
 */
class LayerKindsOracleTest {
    private static final int INFERENCES = 200;

    static List<LayerZoo.Case> cases() {
        return LayerZoo.all();
    }

    private static RandomParameters calibrated(LayerZoo.Case c, long seed) {
        RandomParameters p = new RandomParameters(c.spec(), seed);
        Calibration.calibrate(c.spec(), p, c.lo(), c.hi(), 64, seed + 1);
        return p;
    }

    private static List<BuiltinOperator> ops(Model model) {
        Subgraph sg = model.mainSubgraph();
        return sg.operators().stream().map(op -> model.operatorCodes().get(op.opcodeIndex()).builtin()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void int8ExportRunsIdenticallyInDesktopTfliteAndMoteUpToProvenTies(LayerZoo.Case c) {
        LayerZoo.assumeDesktopTfliteRunsInt8(c);
        RandomParameters p = calibrated(c, 41);
        ExportedModel exported = TfliteExporter.export(c.spec(), p);
        byte[] bytes = exported.bytes();
        Model model = ModelReader.read(bytes);
        assertEquals(c.int8Ops(), ops(model), "operators of " + c.name());
        byte[] input = new RandomCases(3).int8s((int) c.spec().inputShape().elementCount());
        byte[] out = TfliteOracle.runOnce(bytes, input);
        assertEquals(c.spec().outputShape().elementCount(), out.length, "desktop TFLite output size");
        OracleComparison.Result r = OracleComparison.compare(bytes, INFERENCES, 99);
        System.out.printf("%s (%d bytes): %s%n", c.name(), bytes.length, r);
        assertTrue(r.differingOutputElements() == 0 || r.provenTies() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void int8ExportWithFloatIoRunsIdenticallyUpToProvenTies(LayerZoo.Case c) {
        LayerZoo.assumeDesktopTfliteRunsInt8(c);
        RandomParameters p = calibrated(c, 43);
        byte[] bytes = TfliteExporter.export(c.spec(), p, ExportOptions.int8().withFloatIo(true)).bytes();
        OracleComparison.Result r = OracleComparison.compare(bytes, 50, 17);
        System.out.printf("%s with float I/O (%d bytes): %s%n", c.name(), bytes.length, r);
        assertTrue(r.differingOutputElements() == 0 || r.provenTies() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32ExportAgreesWithDesktopTflite(LayerZoo.Case c) {
        RandomParameters p = calibrated(c, 41);
        byte[] bytes = TfliteExporter.export(c.spec(), p, ExportOptions.float32()).bytes();
        int inputs = (int) c.spec().inputShape().elementCount();
        RandomCases random = new RandomCases(5);
        try (TfliteOracle tflite = TfliteOracle.load(bytes)) {
            MicroInterpreter mote = OracleComparison.mote(bytes);
            double worst = 0;
            for (int n = 0; n < 50; n++) {
                byte[] in = LittleEndian.floats(random.floats(inputs, c.lo(), c.hi()));
                tflite.setInput(0, in);
                tflite.invoke();
                mote.input(0).copyFrom(in);
                mote.invoke();
                float[] expected = LittleEndian.toFloats(tflite.output(0));
                for (int i = 0; i < mote.output(0).elementCount(); i++) {
                    float e = expected[i];
                    worst = Math.max(worst, Math.abs(e - mote.output(0).getFloat(i)) / Math.max(1.0, Math.abs(e)));
                }
            }
            System.out.printf("%s float32: largest relative difference from desktop TFLite %.3g%n", c.name(), worst);
            assertTrue(worst <= 1e-4, "largest difference " + worst);
        }
    }
}
