package dev.mote.runtime;

import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterpreterArenaTest {

    @Test
    void helloWorldAllocatesIn2048BytesAndFailsClearlyIn256() {
        byte[] model = ReferenceModels.bytes("hello_world_int8.tflite");
        MicroInterpreter ok = new MicroInterpreter(model, OpResolver.allBuiltins(), 2048);
        ok.allocateTensors();
        assertTrue(ok.arenaUsedBytes() <= 2048);
        System.out.println("hello_world_int8 arenaUsedBytes (" + ok.target() + "): " + ok.arenaUsedBytes()
                + "; " + ok.arenaReport());

        MicroInterpreter small = new MicroInterpreter(model, OpResolver.allBuiltins(), 256);
        ArenaTooSmallException e = assertThrows(ArenaTooSmallException.class, small::allocateTensors);
        assertEquals(256, e.givenBytes());
        assertTrue(e.neededBytes() > 256);
        assertTrue(e.getMessage().contains("256") && e.getMessage().contains(String.valueOf(e.neededBytes())),
                e.getMessage());
    }

    @Test
    void unregisteredOpFailsNamingTheOpVersionAndTheRegisteredOps() {
        byte[] model = ReferenceModels.bytes("hello_world_int8.tflite");
        OpResolver empty = OpResolver.builder().build();
        MicroInterpreter interpreter = new MicroInterpreter(model, empty, 2048);
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, interpreter::allocateTensors);
        assertTrue(e.getMessage().contains("FULLY_CONNECTED version 4"), e.getMessage());
        assertTrue(e.getMessage().contains("registered: []"), e.getMessage());
    }

    @Test
    void intermediateBuffersAreSharedByTheGreedyPlan() {
        // a chain of four FC layers of 32 floats: at most two activations are alive at once
        ModelBuilder b = new ModelBuilder();
        int previous = b.addInput("in", TensorType.FLOAT32, new int[] {1, 32}, Quantization.NONE);
        int w = b.addFloatConstant("w", new int[] {32, 32}, new float[32 * 32]);
        for (int i = 0; i < 4; i++) {
            int next = b.addTensor("t" + i, TensorType.FLOAT32, new int[] {1, 32}, Quantization.NONE);
            b.addOperator(BuiltinOperator.FULLY_CONNECTED, 1, BuiltinOptions.FullyConnected.of(Activation.NONE),
                    new int[] {previous, w, -1}, new int[] {next});
            previous = next;
        }
        b.addOutput(previous);
        MicroInterpreter interpreter = new MicroInterpreter(b.toBytes(), OpResolver.allBuiltins(), 16 * 1024);
        interpreter.allocateTensors();
        assertEquals(2 * 128, interpreter.arenaReport().headBytes());
    }

    @Test
    void kernelRefusalNamesOperatorAndField() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 4}, Quantization.perTensor(0.1f, 0));
        int w = b.addConstant("w", TensorType.INT8, new int[] {2, 4}, new byte[8], Quantization.perTensor(0.1f, 0));
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 2}, Quantization.perTensor(0.1f, 0));
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 4, new BuiltinOptions.FullyConnected(9, 0, false, false),
                new int[] {in, w, -1}, new int[] {out});
        b.addOutput(out);
        MicroInterpreter interpreter = new MicroInterpreter(b.toBytes(), OpResolver.allBuiltins(), 4096);
        InvalidModelException e = assertThrows(InvalidModelException.class, interpreter::allocateTensors);
        assertEquals("operator 0 (FULLY_CONNECTED): fused_activation_function: unsupported value 9", e.getMessage());
    }
}
