package dev.mote.runtime.fuzz;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.Kernel;
import dev.mote.runtime.KernelFailureException;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link FuzzContract} tells a refusal of the model from a bug in a kernel's prepare. */
class FuzzContractTest {
    private static final FuzzContract.Settings SETTINGS =
            new FuzzContract.Settings(512, 16 << 10, ArenaTarget.CORTEX_M, false, 1);

    /** in (int8 [1, 4]) -> RELU -> out. */
    private static byte[] relu() {
        ModelBuilder b = new ModelBuilder();
        Quantization q = Quantization.perTensor(0.1f, 0);
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 4}, q);
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 4}, q);
        b.addOperator(BuiltinOperator.RELU, 1, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    private static OpResolver reluPreparing(Consumer<NodeContext> prepare) {
        return OpResolver.builder().add(BuiltinOperator.RELU, () -> new Kernel() {
            @Override
            public void prepare(NodeContext node) {
                prepare.accept(node);
            }

            @Override
            public void invoke(NodeContext node) {
            }
        }).build();
    }

    @Test
    void aKernelBugInPrepareIsAFindingNotARefusal() {
        OpResolver buggy = reluPreparing(node -> {
            throw new IllegalStateException("kernel bug");
        });
        FuzzContract.Finding f = assertThrows(FuzzContract.Finding.class,
                () -> FuzzContract.check(relu(), SETTINGS, buggy));
        assertTrue(f.getMessage().startsWith("kernel failure at allocate(512)"), f.getMessage());
        assertInstanceOf(KernelFailureException.class, f.getCause());
    }

    @Test
    void aKernelsTypedRefusalInPrepareIsARefusalAtAllocation() {
        OpResolver refusing = reluPreparing(node -> {
            throw node.fail("inputs", "refused on purpose");
        });
        assertEquals(FuzzContract.Outcome.REFUSED_AT_ALLOCATION, FuzzContract.check(relu(), SETTINGS, refusing));
    }
}
