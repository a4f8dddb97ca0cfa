package dev.mote.runtime.format;

import dev.mote.vocabulary.TensorType;

import dev.mote.vocabulary.Activation;

import dev.mote.vocabulary.BuiltinOperator;

import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelReaderTest {

    @Test
    void readsTheConvertersHelloWorldModel() {
        Model model = ModelReader.read(ReferenceModels.bytes("hello_world_int8.tflite"));
        assertEquals(3, model.version());
        Subgraph sg = model.mainSubgraph();
        assertEquals(3, sg.operators().size());
        for (Operator op : sg.operators()) {
            OperatorCode code = model.operatorCodes().get(op.opcodeIndex());
            assertEquals(BuiltinOperator.FULLY_CONNECTED, code.builtin());
            assertEquals(4, code.version());
        }
        Tensor input = sg.tensor(sg.inputs()[0]);
        assertEquals(TensorType.INT8, input.type());
        assertArrayEquals(new int[] {1, 1}, input.shape());
        assertEquals(0.024480116f, input.quantization().scale(), 1e-9f);
        assertEquals(-128, input.quantization().zeroPoint());
        Tensor output = sg.tensor(sg.outputs()[0]);
        assertEquals(0.008290957f, output.quantization().scale(), 1e-9f);
        assertEquals(5, output.quantization().zeroPoint());
        assertTrue(model.metadata("min_runtime_version").isPresent());
        BuiltinOptions.FullyConnected first = (BuiltinOptions.FullyConnected) sg.operators().get(0).options();
        assertEquals(Activation.RELU, Activation.fromCode(first.activation()));
    }

    @Test
    void writerRoundTripPreservesTheModel() {
        Model original = ModelReader.read(ReferenceModels.bytes("micro_speech_quantized.tflite"));
        byte[] written = ModelWriter.write(original);
        Model reread = ModelReader.read(written);
        assertEquals(original.operatorCodes(), reread.operatorCodes());
        assertEquals(original.mainSubgraph().tensors(), reread.mainSubgraph().tensors());
        assertEquals(original.mainSubgraph().operators().size(), reread.mainSubgraph().operators().size());
        for (int i = 0; i < original.mainSubgraph().operators().size(); i++) {
            Operator a = original.mainSubgraph().operators().get(i);
            Operator b = reread.mainSubgraph().operators().get(i);
            assertEquals(a.options(), b.options());
            assertArrayEquals(a.inputs(), b.inputs());
            assertArrayEquals(a.outputs(), b.outputs());
        }
        for (int i = 0; i < original.buffers().size(); i++) {
            assertArrayEquals(original.buffer(i).toByteArray(), reread.buffer(i).toByteArray(), "buffer " + i);
        }
        // constant data is 16-byte aligned in the file, as the converter writes it
        for (DataBuffer buffer : reread.buffers()) {
            if (!buffer.isEmpty()) {
                assertEquals(0, buffer.backingOffset() % 16);
            }
        }
    }

    @Test
    void wrongIdentifierIsRefused() {
        byte[] bytes = ReferenceModels.bytes("hello_world_int8.tflite");
        bytes[4] = 'X';
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelReader.read(bytes));
        assertTrue(e.getMessage().contains("file identifier"), e.getMessage());
    }

    @Test
    void everyTruncationIsRefusedWithInvalidModelException() {
        byte[] bytes = ReferenceModels.bytes("hello_world_int8.tflite");
        for (int length = 0; length < bytes.length; length += 7) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(InvalidModelException.class, () -> ModelReader.read(cut), "length " + length);
        }
    }

    @Test
    void inconsistentBufferSizeIsRefusedNamingTheTensor() {
        Model model = ModelReader.read(ReferenceModels.bytes("hello_world_int8.tflite"));
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 4}, Quantization.perTensor(0.1f, 0));
        int w = b.addConstant("weights", TensorType.INT8, new int[] {2, 4}, new byte[7], Quantization.perTensor(0.1f, 0));
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 2}, Quantization.perTensor(0.1f, 0));
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 4, BuiltinOptions.FullyConnected.of(Activation.NONE),
                new int[] {in, w, -1}, new int[] {out});
        b.addOutput(out);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelReader.read(b.toBytes()));
        assertTrue(e.getMessage().contains("'weights'") && e.getMessage().contains("needs 8 bytes"), e.getMessage());
        assertEquals(3, model.version());
    }

    @Test
    void tensorReadBeforeWrittenIsRefused() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.FLOAT32, new int[] {1, 2}, Quantization.NONE);
        int w = b.addFloatConstant("w", new int[] {2, 2}, new float[4]);
        int hidden = b.addTensor("hidden", TensorType.FLOAT32, new int[] {1, 2}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 2}, Quantization.NONE);
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 1, BuiltinOptions.FullyConnected.of(Activation.NONE),
                new int[] {hidden, w, -1}, new int[] {out});
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 1, BuiltinOptions.FullyConnected.of(Activation.NONE),
                new int[] {in, w, -1}, new int[] {hidden});
        b.addOutput(out);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelReader.read(b.toBytes()));
        assertTrue(e.getMessage().contains("before any operator writes it"), e.getMessage());
    }

    @Test
    void hugeDeclaredShapeIsRefusedBeforeAnythingIsAllocated() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {65536, 65536, 65536}, Quantization.perTensor(1f, 0));
        b.addOutput(in);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelReader.read(b.toBytes()));
        assertTrue(e.getMessage().contains("'in'"), e.getMessage());
    }
}
