package dev.mote.runtime.fuzz;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.ModelWriter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per fuzzing finding, on the committed input in {@code src/test/resources/fuzz-regressions/}: what used to
 * escape, and the typed or correct behaviour now. See {@code fuzz-regressions/README.md}.
 */
class FuzzFindingsTest {

    static byte[] input(String name) throws IOException {
        return Files.readAllBytes(FuzzRegressionTest.DIRECTORY.resolve(name));
    }

    /** Was: ArrayIndexOutOfBoundsException in Model.buffer(0) from the validator (a file with no buffers vector). */
    @Test
    void aModelWithoutABuffersVectorReadsWithBufferZeroEmpty() throws IOException {
        Model model = ModelReader.read(input("no-buffers-vector.tflite"));
        assertTrue(model.buffers().isEmpty());
        assertTrue(model.buffer(0).isEmpty());
        FuzzContract.check(input("no-buffers-vector.tflite"),
                new FuzzContract.Settings(0, 16 << 10, ArenaTarget.CORTEX_M, true, 1));
    }

    /**
     * Was: a subgraph input that no operator reads was left unplanned and bound at arena offset 0, so writing it
     * overwrote the output tensor planned there (and an input larger than the arena threw
     * ArrayIndexOutOfBoundsException). Now it is planned like every other input, as TFLM does.
     */
    @Test
    void anUnusedSubgraphInputHasItsOwnArenaBytes() throws IOException {
        byte[] bytes = input("unused-subgraph-input-aliased.tflite");
        MicroInterpreter interpreter = new MicroInterpreter(bytes, OpResolver.allBuiltins(), 4096);
        interpreter.allocateTensors();
        // inputs [2, 0], outputs [2], no operators: tensor 2 passes through, tensor 0 is never read
        interpreter.input(0).copyFrom(new byte[] {1, 2, 3});
        byte[] unused = new byte[interpreter.input(1).byteSize()];
        java.util.Arrays.fill(unused, (byte) 0x77);
        interpreter.input(1).copyFrom(unused);
        interpreter.invoke();
        assertArrayEquals(new byte[] {1, 2, 3}, interpreter.output(0).toByteArray());
    }

    /** Was: NullPointerException in ModelWriter for a metadata entry without a name (the reader gave null). */
    @Test
    void aMetadataEntryWithoutANameIsReadAsEmptyAndWritesBack() throws IOException {
        byte[] bytes = input("metadata-without-name.tflite");
        assertArrayEquals(metadataWithoutName(), bytes, "the committed input is what metadataWithoutName() builds");
        Model model = ModelReader.read(bytes);
        assertEquals("", model.metadata().get(0).name());
        Model again = ModelReader.read(ModelWriter.write(model));
        assertEquals(model.metadata(), again.metadata());
    }

    /**
     * Was: DEPTHWISE_CONV_2D's prepare sized its window tables by a 12,058,628-row input (723 MB declared, far more than
     * the 16 KiB arena) and allocated 96 MB before the arena check refused the model. Now declared activation sizes
     * are checked against the arena before any kernel prepares.
     */
    @Test
    void anActivationLargerThanTheArenaIsRefusedBeforeAnyKernelPrepares() throws IOException {
        MicroInterpreter interpreter = new MicroInterpreter(input("huge-activation-before-prepare.tflite"),
                OpResolver.builder().build(), 16 << 10); // no kernels at all: the check comes first
        dev.mote.runtime.ArenaTooSmallException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.mote.runtime.ArenaTooSmallException.class, interpreter::allocateTensors);
        assertTrue(e.neededBytes() >= 723517680, "TFLM's exact need includes the tensor: " + e.neededBytes());
        assertTrue(e.getMessage().contains("tensor 0 'in' FLOAT32[1, 12058628, 5, 3] alone needs 723517680 bytes"),
                e.getMessage());
    }

    /** The same for an empty tensor whose other dimensions would not fit: no kernel ever sees such dimensions. */
    @Test
    void anEmptyTensorWithDimensionsBeyondTheArenaIsRefused() {
        dev.mote.runtime.format.ModelBuilder b = new dev.mote.runtime.format.ModelBuilder();
        int in = b.addInput("in", dev.mote.vocabulary.TensorType.INT8, new int[] {0, 1 << 20},
                dev.mote.runtime.format.Quantization.perTensor(0.1f, 0));
        int out = b.addTensor("out", dev.mote.vocabulary.TensorType.INT8, new int[] {0, 1 << 20},
                dev.mote.runtime.format.Quantization.perTensor(0.1f, 0));
        b.addOperator(dev.mote.vocabulary.BuiltinOperator.RELU, 1, dev.mote.runtime.format.BuiltinOptions.NONE,
                new int[] {in}, new int[] {out});
        b.addOutput(out);
        MicroInterpreter interpreter = new MicroInterpreter(b.toBytes(), OpResolver.builder().build(), 16 << 10);
        dev.mote.runtime.InvalidModelException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.mote.runtime.InvalidModelException.class, interpreter::allocateTensors);
        // Refused before any arena arithmetic: TFLM's AllocateTensors refuses zero-size tensors of rank >= 2
        // (RefusalsTflmTest), so the [0, 2^20] tensor never reaches the arena check that used to catch it.
        assertTrue(e.getMessage().contains("tensor 0 ('in') has shape [0, 1048576], a zero dimension at rank 2"),
                e.getMessage());
    }

    /** A minimal model whose only metadata entry has a buffer but no name field. */
    static byte[] metadataWithoutName() {
        FlatBufferBuilder b = new FlatBufferBuilder(256);
        b.startTable(3);
        int buffer = b.endTable();
        int buffers = vector(b, buffer);
        b.startTable(2);
        b.addInt(1, 0, -1); // buffer 0, written explicitly; field 0 (name) absent
        int entry = b.endTable();
        int metadata = vector(b, entry);
        int tensors = vector(b);
        int inputs = vector(b);
        int outputs = vector(b);
        int operators = vector(b);
        b.startTable(5);
        b.addOffset(0, tensors, 0);
        b.addOffset(1, inputs, 0);
        b.addOffset(2, outputs, 0);
        b.addOffset(3, operators, 0);
        int subgraph = b.endTable();
        int subgraphs = vector(b, subgraph);
        int codes = vector(b);
        b.startTable(8);
        b.addInt(0, 3, 0);
        b.addOffset(1, codes, 0);
        b.addOffset(2, subgraphs, 0);
        b.addOffset(4, buffers, 0);
        b.addOffset(6, metadata, 0);
        b.finish(b.endTable(), "TFL3");
        return b.sizedByteArray();
    }

    private static int vector(FlatBufferBuilder b, int... offsets) {
        b.startVector(4, offsets.length, 4);
        for (int i = offsets.length - 1; i >= 0; i--) {
            b.addOffset(offsets[i]);
        }
        return b.endVector();
    }

    /** Writes the crafted inputs (run once when adding one): {@code main} of this test class. */
    public static void main(String[] args) throws IOException {
        Files.write(Path.of(args.length > 0 ? args[0] : "src/test/resources/fuzz-regressions")
                .resolve("metadata-without-name.tflite"), metadataWithoutName());
    }
}
