package dev.mote.runtime;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a custom kernel requests in prepare is the arena accounting: its scratch buffer is in the report's smallest
 * arena and used bytes, and the reported smallest arena is exactly what the interpreter needs.
 */
class CustomKernelArenaTest {
    private static final int SCRATCH_BYTES = 4000;

    /** A RELU that requests 4,000 bytes of scratch in prepare and copies its input to its output. */
    static final class ScratchingRelu implements Kernel {
        @Override
        public void prepare(NodeContext node) {
            node.requestScratch(SCRATCH_BYTES);
        }

        @Override
        public void invoke(NodeContext node) {
            MicroTensor in = node.input(0);
            MicroTensor out = node.output(0);
            System.arraycopy(in.data(), in.dataOffset(), out.data(), out.dataOffset(), in.byteSize());
        }
    }

    private static byte[] singleRelu() {
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.FLOAT32, new int[] {1, 4}, Quantization.NONE);
        int y = b.addTensor("y", TensorType.FLOAT32, new int[] {1, 4}, Quantization.NONE);
        b.addOperator(BuiltinOperator.RELU, 1, BuiltinOptions.NONE, new int[] {x}, new int[] {y});
        b.addOutput(y);
        return b.toBytes();
    }

    private static OpResolver customResolver() {
        return OpResolver.builder().add(BuiltinOperator.RELU, ScratchingRelu::new).build();
    }

    @Test
    void interpretersReportIncludesTheCustomKernelsScratchAndIsExactlyWhatItNeeds() {
        byte[] model = singleRelu();
        for (ArenaTarget target : ArenaTarget.values()) {
            MicroInterpreter large = new MicroInterpreter(model, customResolver(), 64 << 10, target);
            large.allocateTensors();
            ArenaReport report = large.arenaReport();
            assertTrue(report.headBytes() >= SCRATCH_BYTES, report::toText);
            assertTrue(report.usedBytes() > SCRATCH_BYTES, report::toText);
            assertTrue(report.minimumArenaBytes() > SCRATCH_BYTES, report::toText);

            int minimum = report.minimumArenaBytes();
            MicroInterpreter exact = new MicroInterpreter(model, customResolver(), minimum, target);
            exact.allocateTensors();
            exact.input(0).setFloats(1f, -2f, 3f, -4f);
            exact.invoke();
            assertEquals(3f, exact.output(0).dequantize(2));
            assertEquals(report.usedBytes(), exact.arenaUsedBytes());

            MicroInterpreter tooSmall = new MicroInterpreter(model, customResolver(), minimum - 1, target);
            ArenaTooSmallException e = assertThrows(ArenaTooSmallException.class, tooSmall::allocateTensors);
            assertEquals(minimum, e.neededBytes());

            // an empty arena fails before any prepare (the tensors alone do not fit), still with the exact need
            MicroInterpreter empty = new MicroInterpreter(model, customResolver(), 0, target);
            ArenaTooSmallException probe = assertThrows(ArenaTooSmallException.class, empty::allocateTensors);
            assertEquals(minimum, probe.neededBytes(), probe.getMessage());
        }
    }

    @Test
    void arenaReportForAResolverRunsItsKernelsPrepareWithoutAnArena() {
        byte[] model = singleRelu();
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport report = ArenaReport.of(model, customResolver(), target);
            MicroInterpreter interpreter = new MicroInterpreter(model, customResolver(), 64 << 10, target);
            interpreter.allocateTensors();
            assertEquals(interpreter.arenaReport(), report);
            assertTrue(report.exact(), report::toText);
            assertTrue(report.minimumArenaBytes() > SCRATCH_BYTES, report::toText);
            assertTrue(report.peakTensors().stream().anyMatch(b -> b.name().equals("scratch of operator 0")
                    && b.bytes() == SCRATCH_BYTES), report::toText);
            // Mote's own RELU requests no scratch: the same model's report with the builtins is far smaller
            assertTrue(ArenaReport.of(model, target).minimumArenaBytes() < SCRATCH_BYTES);
        }
    }
}
