package dev.mote.exporter;

import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ModelSummary;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.budget.Budget;
import dev.mote.runtime.budget.BudgetExceededException;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.tflm.ArenaComparison;
import dev.mote.runtime.tflm.DeviceCase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the figures say about a 16x8 export: the summary's 2-byte activations and 8-byte biases, the arena read from
 * the exported bytes (micro-runtime's accounting, equal to real TFLM's on both ABIs), {@link Budget} on those bytes,
 * and the C array with its op-resolver header.
 */
class Int16x8ReportTest {

    private static ExportedModel export(ModelSpec spec, ExportOptions options) {
        return TfliteExporter.export(spec, HelloWorldModels.converterWeights(spec), options);
    }

    @Test
    void summaryCountsTwoByteActivationsAndEightByteBiases() {
        ModelSpec spec = HelloWorldModels.spec();
        ModelReport int8 = ModelReport.of(spec, export(spec, ExportOptions.int8()));
        ModelReport fine = ModelReport.of(spec, export(spec, ExportOptions.int16x8()));
        List<ModelSummary.Row> r8 = int8.summary().rows();
        List<ModelSummary.Row> r16 = fine.summary().rows();
        for (int i = 0; i < r8.size(); i++) {
            ModelSummary.Row a = r8.get(i);
            ModelSummary.Row b = r16.get(i);
            assertEquals(a.activationBytes() < 0 ? -1 : 2 * a.activationBytes(), b.activationBytes(), a.name());
        }
        // dense_1: 16x16 int8 weights + 16 biases of 8 bytes
        assertEquals(256 + 16 * 8, r16.get(3).flashBytes());
        assertEquals(256 + 16 * 4, r8.get(3).flashBytes());
        assertTrue(fine.table().contains("TFLite ops, int16x8"), fine.table());
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport a8 = int8.arena(target);
            ArenaReport a16 = fine.arena(target);
            assertEquals(ArenaReport.of(fine.exported().bytes(), target).usedBytes(), a16.usedBytes());
            assertTrue(a16.headBytes() >= 2 * a8.headBytes() - 16, target + ": the int16 tensors take twice the head "
                    + a8.headBytes() + " -> " + a16.headBytes());
        }
        System.out.println("16X8-REPORT\n" + fine);
        assertThrows(ExportException.class, () -> ModelReport.of(spec, export(spec, ExportOptions.float32())));
    }

    @Test
    void budgetReadsTheInt16Arena() {
        LayerZoo.Case c = LayerZoo.conv();
        RandomParameters p = new RandomParameters(c.spec(), 5);
        byte[] int8 = TfliteExporter.export(c.spec(), p, ExportOptions.int8()).bytes();
        byte[] fine = TfliteExporter.export(c.spec(), p, ExportOptions.int16x8()).bytes();
        long ram8 = ArenaReport.of(int8, ArenaTarget.CORTEX_M).minimumArenaBytes();
        long ram16 = ArenaReport.of(fine, ArenaTarget.CORTEX_M).minimumArenaBytes();
        System.out.printf("16X8-BUDGET conv smallest Cortex-M arena int8 %d, 16x8 %d%n", ram8, ram16);
        assertTrue(ram16 > ram8, ram16 + " vs " + ram8);
        Budget.ram(ram8).target(ArenaTarget.CORTEX_M).check(int8);
        assertThrows(BudgetExceededException.class, () -> Budget.ram(ram8).target(ArenaTarget.CORTEX_M).check(fine));
        Budget.ram(ram16).target(ArenaTarget.CORTEX_M).check(fine);
    }

    @Test
    void cArrayAndResolverCoverA16x8Export() {
        ModelSpec spec = HelloWorldModels.spec();
        ExportedModel model = export(spec, ExportOptions.int16x8().withFloatIo(true));
        CArraySources c = model.cArray("sine16", ArenaTarget.CORTEX_M);
        assertArrayEquals(model.bytes(), CArrayTest.parseArray(c.source(), "sine16"));
        for (String method : List.of("AddFullyConnected", "AddQuantize", "AddDequantize")) {
            assertTrue(c.resolverHeader().contains("resolver." + method + "()"), c.resolverHeader());
        }
        assertTrue(c.resolverHeader().contains("MicroMutableOpResolver<3>"), c.resolverHeader());
        int expected = ((int) Math.ceil(model.arenaReport(ArenaTarget.CORTEX_M).minimumArenaBytes() * 1.10) + 15)
                & ~15;
        assertEquals(expected, c.arenaBytes());
    }

    /** Hello World's 16x8 exports against real TFLM's arena figures (skipped without {@code ../shared/tflm}). */
    @Test
    void helloWorldArenaEqualsTflmOnBothAbis() {
        ModelSpec spec = HelloWorldModels.spec();
        for (ArenaTarget target : ArenaTarget.values()) {
            RealTflm tflm = RealTflm.require(target);
            List<DeviceCase> models = new ArrayList<>();
            models.add(new DeviceCase("hello 16x8", 0, "export", export(spec, ExportOptions.int16x8()).bytes(),
                    List.of()));
            models.add(new DeviceCase("hello 16x8 float I/O", 0, "export",
                    export(spec, ExportOptions.int16x8().withFloatIo(true)).bytes(), List.of()));
            ArenaComparison.assertAllIdentical("hello_world 16x8", ArenaComparison.runAll(tflm, models));
        }
    }
}
