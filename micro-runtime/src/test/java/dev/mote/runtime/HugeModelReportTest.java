package dev.mote.runtime;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A report on a model that declares far more activation memory than any microcontroller has does not run its
 * kernels' prepare (which may size Java-heap work by the declared dimensions): every operator is the flagged upper
 * bound, and the report says why.
 */
class HugeModelReportTest {

    @Test
    void activationsBeyondAnyDeviceGetTheFlaggedUpperBoundWithoutPreparing() {
        int[] shape = {1, 8192, 8192, 5}; // 320 MiB per tensor
        byte[] model = new SingleOpModel(BuiltinOperator.RELU, 1, BuiltinOptions.NONE)
                .input(TensorType.INT8, shape, Quantization.perTensor(0.1f, 0))
                .output(TensorType.INT8, shape, Quantization.perTensor(0.1f, 0))
                .bytes();
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport report = ArenaReport.of(model, target);
            assertFalse(report.exact(), report.toString());
            assertTrue(String.join("; ", report.estimatedOps()).contains("more than any microcontroller's RAM"),
                    report.estimatedOps().toString());
            assertTrue(report.minimumArenaBytes() > 2L * 8192 * 8192 * 5 - 1, report.toString());
        }
    }
}
