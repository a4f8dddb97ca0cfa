package dev.mote.exporter;

import dev.mote.dsl.ModelSpec;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.testing.ReferenceModels;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Hello World sine model (1 → 16 relu → 16 relu → 1) with its real trained weights: Mote's int8 export
 * reproduces the TF converter's quantized tensors, is smaller than the converter's file, and runs identically in
 * desktop TFLite and Mote up to proven ties.
 */
class HelloWorldExportTest {
    private static final int CONVERTER_BYTES = 2704;

    @Test
    void reproducesTheConvertersQuantizedTensorsFromTheSameWeightsAndRanges() {
        ModelSpec spec = HelloWorldModels.spec();
        RandomParameters p = HelloWorldModels.converterWeights(spec);
        Model mine = ModelReader.read(TfliteExporter.export(spec, p).bytes());
        Model theirs = ModelReader.read(ReferenceModels.bytes("hello_world_int8.tflite"));
        Subgraph a = mine.mainSubgraph();
        Subgraph b = theirs.mainSubgraph();
        assertEquals(3, a.operators().size());
        assertTensorEquals(mine, a.tensor(a.inputs()[0]), theirs, b.tensor(b.inputs()[0]), "input");
        assertTensorEquals(mine, a.tensor(a.outputs()[0]), theirs, b.tensor(b.outputs()[0]), "output");
        for (int layer = 0; layer < 3; layer++) {
            Operator x = a.operators().get(layer);
            Operator y = b.operators().get(layer);
            assertEquals(y.options(), x.options(), "options of layer " + layer);
            for (int i = 0; i < 3; i++) {
                assertTensorEquals(mine, a.tensor(x.input(i)), theirs, b.tensor(y.input(i)), "layer " + layer + " input " + i);
            }
            assertTensorEquals(mine, a.tensor(x.output(0)), theirs, b.tensor(y.output(0)), "layer " + layer + " output");
        }
        assertEquals(theirs.operatorCodes(), mine.operatorCodes());
        assertEquals("1.14.0", new String(mine.metadata("min_runtime_version").orElseThrow().toByteArray(),
                StandardCharsets.US_ASCII).trim());
    }

    private static void assertTensorEquals(Model m1, Tensor t1, Model m2, Tensor t2, String what) {
        assertEquals(t2.type(), t1.type(), what + " type");
        assertArrayEquals(t2.shape(), t1.shape(), what + " shape");
        assertArrayEquals(t2.quantization().scales(), t1.quantization().scales(), what + " scales");
        assertArrayEquals(t2.quantization().zeroPoints(), t1.quantization().zeroPoints(), what + " zero points");
        assertArrayEquals(m2.buffer(t2.buffer()).toByteArray(), m1.buffer(t1.buffer()).toByteArray(), what + " data");
    }

    @Test
    void isNoLargerThanTheConvertersFile() {
        ModelSpec spec = HelloWorldModels.spec();
        RandomParameters p = HelloWorldModels.trainedWeights(spec);
        HelloWorldModels.converterRanges(p);
        ExportedModel int8 = TfliteExporter.export(spec, p);
        ExportedModel floats = TfliteExporter.export(spec, p, ExportOptions.float32());
        ExportedModel floatIo = TfliteExporter.export(spec, p, ExportOptions.int8().withFloatIo(true));
        System.out.printf("hello_world export: int8 %d bytes (TF converter: %d), float32 %d bytes (TF converter: "
                + "3164), int8 with float I/O %d bytes%n", int8.size(), CONVERTER_BYTES, floats.size(), floatIo.size());
        for (ArenaTarget target : ArenaTarget.values()) {
            System.out.printf("hello_world arena on %s (Mote's report): Mote's export %s; converter's file %s%n", target,
                    int8.arenaReport(target), converterReport(target));
        }
        assertTrue(int8.size() <= CONVERTER_BYTES, "Mote's export is " + int8.size() + " bytes");
        assertTrue(floats.size() <= 3164, "Mote's float export is " + floats.size() + " bytes");
    }

    private static ArenaReport converterReport(ArenaTarget target) {
        byte[] bytes = ReferenceModels.bytes("hello_world_int8.tflite");
        MicroInterpreter mote = new MicroInterpreter(bytes, OpResolver.allBuiltins(), 1 << 16, target);
        mote.allocateTensors();
        return mote.arenaReport();
    }

    @Test
    void calibratedExportRunsIdenticallyInDesktopTfliteAndMoteUpToProvenTies() {
        ModelSpec spec = HelloWorldModels.spec();
        RandomParameters p = HelloWorldModels.trainedWeights(spec);
        Calibration.calibrate(spec, p, 0f, (float) (2 * Math.PI), 500, 7);
        byte[] bytes = TfliteExporter.export(spec, p).bytes();
        OracleComparison.Result r = OracleComparison.compare(bytes, 2000, 11);
        System.out.println("hello_world (Mote export, calibrated): " + r);
        assertTrue(r.differingOutputElements() <= r.provenTies());
    }

    @Test
    void calibratedInt8ExportApproximatesTheSine() {
        ModelSpec spec = HelloWorldModels.spec();
        RandomParameters p = HelloWorldModels.trainedWeights(spec);
        Calibration.calibrate(spec, p, 0f, (float) (2 * Math.PI), 500, 7);
        ExportedModel exported = TfliteExporter.export(spec, p, ExportOptions.int8().withFloatIo(true));
        MicroInterpreter mote = exported.interpreter(ArenaTarget.CORTEX_M);
        assertEquals(ArenaReport.of(exported.bytes(), ArenaTarget.CORTEX_M).minimumArenaBytes(), mote.arenaBytes());
        assertEquals(ArenaTarget.CORTEX_M, mote.target());
        double worst = 0;
        for (int i = 0; i <= 100; i++) {
            float x = (float) (2 * Math.PI * i / 100);
            mote.input(0).setFloat(0, x);
            mote.invoke();
            worst = Math.max(worst, Math.abs(mote.output(0).getFloat(0) - Math.sin(x)));
        }
        System.out.printf("hello_world int8 (float I/O) export: largest error against sin(x) on 101 points: %.4f%n",
                worst);
        assertTrue(worst < 0.25, "largest error " + worst);
    }
}
