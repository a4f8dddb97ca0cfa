package dev.mote.runtime;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, "interpreters that cannot be misused": repeated allocation, out-of-range tensor indices, live arrays
 * outside kernels, and kernels or resolvers that break their contract all end in a typed, explaining error (or in
 * the documented no-op), never in a stale handle, a corrupted constant or a JDK exception.
 */
class InterpreterMisuseTest {
    private static final int ARENA = 16 << 10;
    private static final int WEIGHTS = 1;
    private static final Quantization Q = Quantization.perTensor(0.1f, 0);

    /** in (float [1, 2]) -> FULLY_CONNECTED with constant weights [[1, 2], [3, 4]] -> out (float [1, 2]). */
    private static byte[] fullyConnected() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.FLOAT32, new int[] {1, 2}, Quantization.NONE);
        int w = b.addFloatConstant("weights", new int[] {2, 2}, new float[] {1, 2, 3, 4});
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 2}, Quantization.NONE);
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 1, BuiltinOptions.FullyConnected.of(Activation.NONE),
                new int[] {in, w, -1}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    /** in (int8 [1, 4]) -> RELU -> mid -> RELU -> out, RELU being whatever kernel the resolver gives. */
    private static byte[] twoRelus() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 4}, Q);
        int mid = b.addTensor("mid", TensorType.INT8, new int[] {1, 4}, Q);
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 4}, Q);
        b.addOperator(BuiltinOperator.RELU, 1, BuiltinOptions.NONE, new int[] {in}, new int[] {mid});
        b.addOperator(BuiltinOperator.RELU, 1, BuiltinOptions.NONE, new int[] {mid}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    /** A test kernel: {@code prepare} and {@code invoke} run the given actions and otherwise do nothing. */
    private record Scripted(Consumer<NodeContext> onPrepare, Consumer<NodeContext> onInvoke) implements Kernel {
        @Override
        public void prepare(NodeContext node) {
            onPrepare.accept(node);
        }

        @Override
        public void invoke(NodeContext node) {
            onInvoke.accept(node);
        }
    }

    private static MicroInterpreter relusWith(Consumer<NodeContext> onPrepare, Consumer<NodeContext> onInvoke) {
        OpResolver resolver = OpResolver.builder()
                .add(BuiltinOperator.RELU, () -> new Scripted(onPrepare, onInvoke))
                .build();
        return new MicroInterpreter(twoRelus(), resolver, ARENA);
    }

    private static MicroInterpreter allocatedFullyConnected() {
        MicroInterpreter interpreter = new MicroInterpreter(fullyConnected(), OpResolver.allBuiltins(), ARENA);
        interpreter.allocateTensors();
        return interpreter;
    }

    // 1. allocateTensors() twice

    @Test
    void aSecondAllocateTensorsKeepsTheHandedOutTensorsAndTheirContents() {
        MicroInterpreter interpreter = allocatedFullyConnected();
        MicroTensor in = interpreter.input(0);
        MicroTensor out = interpreter.output(0);
        in.setFloats(1, 2);

        interpreter.allocateTensors();

        assertSame(in, interpreter.input(0));
        assertSame(out, interpreter.output(0));
        assertArrayEquals(new float[] {1, 2}, in.toFloatArray(), "the input written before is still there");
        interpreter.invoke();
        assertArrayEquals(new float[] {5, 11}, out.toFloatArray());
        in.setFloats(-1, 1);
        interpreter.invoke();
        assertArrayEquals(new float[] {1, 1}, interpreter.output(0).toFloatArray());
    }

    @Test
    void aSecondAllocateTensorsDoesNotPrepareTheKernelsAgain() {
        int[] prepares = {0};
        MicroInterpreter interpreter = relusWith(node -> prepares[0]++, node -> { });
        interpreter.allocateTensors();
        interpreter.allocateTensors();
        assertEquals(2, prepares[0], "two nodes, each prepared once");
    }

    // 2. requestScratch outside prepare

    @Test
    void requestScratchDuringInvokeIsAKernelFailureNamingTheOperator() {
        MicroInterpreter interpreter = relusWith(node -> { }, node -> {
            int handle = node.requestScratch(16);
            node.arena()[node.scratchOffset(handle)] = 1;
        });
        interpreter.allocateTensors();
        KernelFailureException e = assertThrows(KernelFailureException.class, interpreter::invoke);
        assertEquals(0, e.operatorIndex());
        assertEquals(BuiltinOperator.RELU, e.op());
        assertTrue(e.getMessage().startsWith("operator 0 (RELU): requestScratch(16)"), e.getMessage());
        assertTrue(e.getMessage().contains("in the kernel's prepare()"), e.getMessage());
    }

    @Test
    void aScratchHandleThatWasNeverRequestedIsAKernelFailure() {
        MicroInterpreter interpreter = relusWith(node -> node.requestScratch(8), node -> node.scratchOffset(3));
        interpreter.allocateTensors();
        KernelFailureException e = assertThrows(KernelFailureException.class, interpreter::invoke);
        assertTrue(e.getMessage().contains("scratch handle 3 does not exist; this node has 1 scratch buffers"),
                e.getMessage());
    }

    // 3. a kernel bug in prepare is not a refusal of the model

    @Test
    void anUnexpectedExceptionInPrepareIsAKernelFailureWithItsCause() {
        ArithmeticException bug = new ArithmeticException("/ by zero");
        MicroInterpreter interpreter = relusWith(node -> {
            if (node.operatorIndex() == 1) {
                throw bug;
            }
        }, node -> { });
        KernelFailureException e = assertThrows(KernelFailureException.class, interpreter::allocateTensors);
        assertSame(bug, e.getCause());
        assertEquals(1, e.operatorIndex());
        assertEquals(BuiltinOperator.RELU, e.op());
        assertTrue(e.getMessage().startsWith("operator 1 (RELU): the kernel's prepare failed with "
                + "java.lang.ArithmeticException: / by zero; this is a bug in the kernel"), e.getMessage());
    }

    @Test
    void anUnexpectedExceptionInInvokeIsAKernelFailureNamingTheOperator() {
        IllegalStateException bug = new IllegalStateException("index 7 out of bounds");
        MicroInterpreter interpreter = relusWith(node -> { }, node -> {
            if (node.operatorIndex() == 1) {
                throw bug;
            }
        });
        interpreter.allocateTensors();
        KernelFailureException e = assertThrows(KernelFailureException.class, interpreter::invoke);
        assertSame(bug, e.getCause());
        assertEquals(1, e.operatorIndex());
        assertTrue(e.getMessage().startsWith("operator 1 (RELU): the kernel's invoke failed with "), e.getMessage());
        KernelFailureException listened = assertThrows(KernelFailureException.class,
                () -> interpreter.invoke(node -> { }));
        assertEquals(1, listened.operatorIndex());
    }

    @Test
    void aKernelsDeliberateRefusalInPrepareStaysAnInvalidModelException() {
        MicroInterpreter interpreter = relusWith(node -> {
            throw node.fail("inputs", "not this one");
        }, node -> { });
        InvalidModelException e = assertThrows(InvalidModelException.class, interpreter::allocateTensors);
        assertEquals("operator 0 (RELU): inputs: not this one", e.getMessage());
    }

    // 4. indices the model does not have

    @Test
    void inputOutputAndTensorIndicesOutOfRangeNameTheIndexAndTheCount() {
        MicroInterpreter interpreter = allocatedFullyConnected();
        NoSuchTensorException input = assertThrows(NoSuchTensorException.class, () -> interpreter.input(1));
        assertEquals("input 1 does not exist: the model has 1 input (indices 0 to 0); ask inputCount() for the count",
                input.getMessage());
        assertEquals(1, input.index());
        assertEquals(1, input.count());
        NoSuchTensorException output = assertThrows(NoSuchTensorException.class, () -> interpreter.output(5));
        assertTrue(output.getMessage().startsWith("output 5 does not exist: the model has 1 output"),
                output.getMessage());
        NoSuchTensorException tensor = assertThrows(NoSuchTensorException.class, () -> interpreter.tensor(-1));
        assertEquals("tensor -1 does not exist: the model has 3 tensors (indices 0 to 2); ask tensorCount() for "
                + "the count", tensor.getMessage());
        assertThrows(NoSuchTensorException.class, () -> interpreter.tensor(interpreter.tensorCount()));
        assertThrows(NoSuchTensorException.class, () -> interpreter.input(-1));
    }

    // 6. no live arrays outside kernels

    @Test
    void theLiveArrayOfAConstantIsNotHandedOutToTheCaller() {
        MicroInterpreter interpreter = allocatedFullyConnected();
        MicroTensor weights = interpreter.tensor(WEIGHTS);
        TensorAccessException e = assertThrows(TensorAccessException.class, weights::data);
        assertTrue(e.getMessage().contains("tensor 1 'weights'") && e.getMessage().contains("asReadOnlyBuffer()"),
                e.getMessage());
        assertThrows(TensorAccessException.class, () -> interpreter.input(0).data());
        assertThrows(IllegalStateException.class, () -> weights.setFloat(0, 9f));
        assertEquals(1f, weights.getFloat(0));
    }

    @Test
    void aReadOnlyBufferShowsATensorsBytesAndRefusesWrites() {
        MicroInterpreter interpreter = allocatedFullyConnected();
        ByteBuffer weights = interpreter.tensor(WEIGHTS).asReadOnlyBuffer();
        assertEquals(16, weights.remaining());
        assertEquals(4f, weights.getFloat(12));
        assertThrows(ReadOnlyBufferException.class, () -> weights.putFloat(0, 9f));
        assertThrows(ReadOnlyBufferException.class, () -> weights.array());

        ByteBuffer out = interpreter.output(0).asReadOnlyBuffer();
        interpreter.input(0).setFloats(1, 2);
        interpreter.invoke();
        assertEquals(5f, out.getFloat(0), "a view, not a copy: it shows what invoke wrote");
        assertEquals(11f, out.getFloat(4));
        interpreter.invoke();
        assertArrayEquals(new float[] {5, 11}, interpreter.output(0).toFloatArray());
    }

    @Test
    void anOperatorListenerGetsNoLiveArrays() {
        MicroInterpreter interpreter = allocatedFullyConnected();
        AtomicReference<Throwable> tensorData = new AtomicReference<>();
        AtomicReference<Throwable> arena = new AtomicReference<>();
        interpreter.invoke(node -> {
            tensorData.set(assertThrows(TensorAccessException.class, () -> node.input(1).data()));
            arena.set(assertThrows(TensorAccessException.class, node::arena));
        });
        assertNotNull(tensorData.get());
        assertTrue(arena.get().getMessage().startsWith("operator 0 (FULLY_CONNECTED): arena() is for kernels"),
                arena.get().getMessage());
    }

    @Test
    void anotherThreadGetsNoLiveArraysWhileAKernelRuns() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        MicroInterpreter interpreter = relusWith(node -> { }, node -> {
            node.output(0).data(); // the kernel's own thread may
            Thread other = new Thread(() -> {
                try {
                    node.output(0).data();
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        interpreter.allocateTensors();
        interpreter.invoke();
        assertInstanceOf(TensorAccessException.class, seen.get());
    }

    // 7. one kernel per node

    @Test
    void aResolverFactoryThatSharesOneKernelIsRefusedNamingBothOperators() {
        Kernel shared = new Scripted(node -> { }, node -> { });
        OpResolver resolver = OpResolver.builder().add(BuiltinOperator.RELU, () -> shared).build();
        MicroInterpreter interpreter = new MicroInterpreter(twoRelus(), resolver, ARENA);
        KernelFailureException e = assertThrows(KernelFailureException.class, interpreter::allocateTensors);
        assertEquals(1, e.operatorIndex());
        assertTrue(e.getMessage().startsWith("operator 1 (RELU): the op resolver's factory returned the kernel it "
                + "already returned for operator 0; a factory must return a new kernel on every call"), e.getMessage());
    }
}
