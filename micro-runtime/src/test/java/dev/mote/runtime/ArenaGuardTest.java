package dev.mote.runtime;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arena guard mode: a deliberately misbehaving custom kernel, registered through
 * {@code OpResolver.builder().add(op, factory)}, is caught after the operator that misbehaved, with the operator
 * index, the op and the tensor whose bytes or guard bytes were hit; well-behaved kernels run unchanged.
 */
class ArenaGuardTest {
    private static final MicroInterpreter.Options GUARDED = MicroInterpreter.Options.defaults().withArenaGuard(true);
    private static final Quantization Q = Quantization.perTensor(0.1f, 0);

    /** A test kernel: requests 10 scratch bytes, copies input 0 to output 0 (+1), then runs {@code extra}. */
    private static final class Scripted implements Kernel {
        private final BiConsumer<NodeContext, Integer> extra;
        private int scratch;

        Scripted(BiConsumer<NodeContext, Integer> extra) {
            this.extra = extra;
        }

        @Override
        public void prepare(NodeContext node) {
            scratch = node.requestScratch(10);
        }

        @Override
        public void invoke(NodeContext node) {
            MicroTensor in = node.requiredInput(0);
            MicroTensor out = node.output(0);
            for (int i = 0; i < out.byteSize(); i++) {
                out.data()[out.dataOffset() + i] = (byte) (in.data()[in.dataOffset() + i % in.byteSize()] + 1);
            }
            for (int i = 0; i < 10; i++) {
                node.arena()[node.scratchOffset(scratch) + i] = (byte) i; // its own scratch: allowed
            }
            extra.accept(node, scratch);
        }
    }

    /**
     * in (int8 [1, 8]) -> RELU (the scripted kernel) -> mid (int8 [1, 5]) -> ABS (a well-behaved copy) -> out;
     * RELU also reads the constant "weights".
     */
    private static byte[] model() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 8}, Q);
        int weights = b.addConstant("weights", TensorType.INT8, new int[] {4}, new byte[] {1, 2, 3, 4}, Q);
        int mid = b.addTensor("mid", TensorType.INT8, new int[] {1, 5}, Q);
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 5}, Q);
        b.addOperator(BuiltinOperator.RELU, 1, BuiltinOptions.NONE, new int[] {in, weights}, new int[] {mid});
        b.addOperator(BuiltinOperator.ABS, 1, BuiltinOptions.NONE, new int[] {mid}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    private static MicroInterpreter guarded(BiConsumer<NodeContext, Integer> misbehaviour) {
        OpResolver resolver = OpResolver.builder()
                .add(BuiltinOperator.RELU, () -> new Scripted(misbehaviour))
                .add(BuiltinOperator.ABS, () -> new Scripted((node, scratch) -> { }))
                .build();
        MicroInterpreter interpreter = new MicroInterpreter(model(), resolver, 4096, GUARDED);
        interpreter.allocateTensors();
        interpreter.input(0).copyFrom(new byte[] {10, 20, 30, 40, 50, 60, 70, 80});
        return interpreter;
    }

    private static ArenaGuardException violation(BiConsumer<NodeContext, Integer> misbehaviour) {
        MicroInterpreter interpreter = guarded(misbehaviour);
        ArenaGuardException e = assertThrows(ArenaGuardException.class, interpreter::invoke);
        assertEquals(0, e.operatorIndex(), e.getMessage());
        assertEquals(BuiltinOperator.RELU, e.op());
        assertTrue(e.getMessage().startsWith("arena guard: operator 0 (RELU) wrote "), e.getMessage());
        return e;
    }

    @Test
    void wellBehavedKernelsRunAndGiveTheSameOutputsAsWithoutTheGuard() {
        MicroInterpreter interpreter = guarded((node, scratch) -> { });
        interpreter.invoke();
        interpreter.invoke();
        assertArrayEquals(new byte[] {12, 22, 32, 42, 52}, interpreter.output(0).toByteArray());
        assertTrue(interpreter.options().arenaGuard());
    }

    @Test
    void writingPastTheEndOfItsOutputIsCaught() {
        ArenaGuardException e = violation((node, scratch) -> {
            MicroTensor out = node.output(0);
            out.data()[out.dataOffset() + out.byteSize()] = 99; // mid has 5 bytes: byte 5 is alignment padding
        });
        assertEquals(2, e.tensorIndex());
        assertTrue(e.getMessage().contains("1 bytes past the end of tensor 2 'mid' (its output 0)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("to 0x63"), e.getMessage());
    }

    @Test
    void writingBeforeTheStartOfItsOutputIsCaught() {
        ArenaGuardException e = violation((node, scratch) -> {
            MicroTensor out = node.output(0);
            out.data()[out.dataOffset() - 3] = 0;
        });
        assertEquals(2, e.tensorIndex());
        assertTrue(e.getMessage().contains("3 bytes before the start of tensor 2 'mid' (its output 0)"),
                e.getMessage());
    }

    @Test
    void writingIntoAnInputIsCaught() {
        ArenaGuardException e = violation((node, scratch) -> {
            MicroTensor in = node.input(0);
            in.data()[in.dataOffset() + 7] = 0;
        });
        assertEquals(0, e.tensorIndex());
        assertTrue(e.getMessage().contains("byte 7 of tensor 0 'in' (its input 0, which must not change)"),
                e.getMessage());
    }

    @Test
    void writingPastTheEndOfItsScratchBufferIsCaught() {
        ArenaGuardException e = violation((node, scratch) -> node.arena()[node.scratchOffset(scratch) + 10] = 1);
        assertEquals(-1, e.tensorIndex());
        assertTrue(e.getMessage().contains("1 bytes past the end of scratch buffer 0 of operator 0"), e.getMessage());
    }

    @Test
    void writingIntoAnotherOperatorsTensorIsCaught() {
        ArenaGuardException e = violation((node, scratch) -> {
            MicroTensor out = node.output(0);
            // The guarded layout puts every buffer in its own place, so this lands in some other buffer or guard.
            for (int i = 0; i < out.data().length; i++) {
                out.data()[i] ^= (byte) 0x40;
            }
        });
        assertTrue(e.getMessage().contains(" changed from "), e.getMessage());
    }

    @Test
    void writingIntoConstantModelDataIsCaught() {
        ArenaGuardException e = violation((node, scratch) -> {
            MicroTensor weights = node.input(1);
            weights.data()[weights.dataOffset() + 2] = 42;
        });
        assertEquals(1, e.tensorIndex());
        assertTrue(e.getMessage().contains("wrote into the model's constant data: byte 2 of constant tensor 1 "
                + "'weights' (its input 1, which must not change) changed from 0x03 to 0x2a"), e.getMessage());
    }

    @Test
    void theReportedArenaFiguresDoNotChange() {
        byte[] bytes = ReferenceModels.bytes("hello_world_int8.tflite");
        MicroInterpreter plain = new MicroInterpreter(bytes, OpResolver.allBuiltins(), 4096,
                MicroInterpreter.Options.defaults().withArenaGuard(false));
        MicroInterpreter guarded = new MicroInterpreter(bytes, OpResolver.allBuiltins(), 4096, GUARDED);
        plain.allocateTensors();
        guarded.allocateTensors();
        assertEquals(plain.arenaUsedBytes(), guarded.arenaUsedBytes());
        assertEquals(plain.arenaReport(), guarded.arenaReport());
        for (int x = -128; x < 128; x += 7) {
            plain.input(0).setInt8(0, x);
            guarded.input(0).setInt8(0, x);
            plain.invoke();
            guarded.invoke();
            assertArrayEquals(plain.output(0).toByteArray(), guarded.output(0).toByteArray());
        }
    }

    @Test
    void theSystemPropertySetsTheDefault() {
        String before = System.getProperty(MicroInterpreter.Options.ARENA_GUARD_PROPERTY);
        try {
            System.setProperty(MicroInterpreter.Options.ARENA_GUARD_PROPERTY, "true");
            assertTrue(MicroInterpreter.Options.defaults().arenaGuard());
            System.setProperty(MicroInterpreter.Options.ARENA_GUARD_PROPERTY, "false");
            org.junit.jupiter.api.Assertions.assertFalse(MicroInterpreter.Options.defaults().arenaGuard());
        } finally {
            if (before == null) {
                System.clearProperty(MicroInterpreter.Options.ARENA_GUARD_PROPERTY);
            } else {
                System.setProperty(MicroInterpreter.Options.ARENA_GUARD_PROPERTY, before);
            }
        }
    }
}
