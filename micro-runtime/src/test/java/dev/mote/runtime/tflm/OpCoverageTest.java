package dev.mote.runtime.tflm;

import dev.mote.runtime.internal.kernels.BuiltinKernels;
import dev.mote.vocabulary.BuiltinOperator;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every op Mote implements has at least one variant in the differential tests against real TFLM. */
class OpCoverageTest {
    @Test
    void everyImplementedOpIsComparedWithRealTflm() {
        Set<BuiltinOperator> covered = CortexMOutputsTflmTest.variants().map(Variant::op)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(BuiltinOperator.class)));
        Set<BuiltinOperator> missing = EnumSet.copyOf(BuiltinKernels.all().keySet());
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "ops without a differential variant");
    }
}
