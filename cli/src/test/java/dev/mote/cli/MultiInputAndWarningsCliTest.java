package dev.mote.cli;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mote run --input-file} on a two-input model, against real TFLM; warnings in {@code run} and {@code inspect}. */
class MultiInputAndWarningsCliTest {

    /** int8 ADD of a [2, 3] and a [2, 3] input (different quantizations), output [2, 3]. */
    private static byte[] addModel() {
        ModelBuilder b = new ModelBuilder();
        int a = b.addInput("a", TensorType.INT8, new int[] {2, 3}, Quantization.perTensor(0.1f, -4));
        int c = b.addInput("b", TensorType.INT8, new int[] {2, 3}, Quantization.perTensor(0.05f, 7));
        int out = b.addTensor("sum", TensorType.INT8, new int[] {2, 3}, Quantization.perTensor(0.15f, 2));
        b.addOperator(BuiltinOperator.ADD, 1, new BuiltinOptions.Add(0, false), new int[] {a, c}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    private static int[] raw(String json) {
        Matcher m = Pattern.compile("\"raw\":\\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find(), json);
        return Arrays.stream(m.group(1).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void inputFileFillsBothInputsInOrderLikeTflmRun(@TempDir Path dir) throws IOException {
        byte[] model = addModel();
        Path file = Files.write(dir.resolve("add.tflite"), model);
        byte[] input = {-128, -50, 0, 1, 60, 127, 127, 100, -7, 0, -90, -128};
        Path in = Files.write(dir.resolve("in.bin"), input);
        CliRun r = CliRun.of("run", file.toString(), "--input-file", in.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        int[] mote = raw(r.out());
        assertEquals(6, mote.length, r.out());
        // --input-raw is the same option
        assertEquals(r.out(), CliRun.of("run", file.toString(), "--input-raw", in.toString(), "--json").out());

        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        RealTflm.Run run = tflm.run(model, 16 * 1024, input, false);
        assertTrue(run.allocated() && run.invoked(), run.log());
        byte[] expected = run.output();
        assertEquals(6, expected.length);
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], mote[i], "output byte " + i + ": Mote " + Arrays.toString(mote) + ", TFLM "
                    + Arrays.toString(expected));
        }
    }

    @Test
    void inputFileOfTheWrongLengthIsRefusedWithTheLayout(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("add.tflite"), addModel());
        Path shortFile = Files.write(dir.resolve("short.bin"), new byte[7]);
        CliRun tooShort = CliRun.of("run", file.toString(), "--input-file", shortFile.toString());
        assertEquals(1, tooShort.exitCode());
        assertTrue(tooShort.oneLineError(), tooShort.err());
        assertTrue(tooShort.err().contains("is too short: it has 7 bytes, the model's 2 inputs take 12"),
                tooShort.err());
        assertTrue(tooShort.err().contains("input 0 'a': INT8[2, 3] bytes 0..5, input 1 'b': INT8[2, 3] bytes 6..11"),
                tooShort.err());
        Path longFile = Files.write(dir.resolve("long.bin"), new byte[13]);
        CliRun tooLong = CliRun.of("run", file.toString(), "--input-file", longFile.toString());
        assertEquals(1, tooLong.exitCode());
        assertTrue(tooLong.oneLineError(), tooLong.err());
        assertTrue(tooLong.err().contains("is too long: it has 13 bytes, the model's 2 inputs take 12"), tooLong.err());
    }

    /** int8 RELU6 whose output quantization differs from its input's: TFLM runs it, Mote warns. */
    private static byte[] relu6Model() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("x", TensorType.INT8, new int[] {4}, Quantization.perTensor(0.05f, -10));
        int out = b.addTensor("y", TensorType.INT8, new int[] {4}, Quantization.perTensor(0.1f, 3));
        b.addOperator(BuiltinOperator.RELU6, 1, new BuiltinOptions.Empty(0), new int[] {in}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    @Test
    void warningsAreShownByRunAndInspect(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("relu6.tflite"), relu6Model());
        CliRun run = CliRun.of("run", file.toString(), "--input", "0.5,1,2,6.5");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("warning: operator 0 (RELU6): output.quantization: scale 0.1, zero point 3 "
                + "differs from the input's"), run.err());
        CliRun json = CliRun.of("run", file.toString(), "--input", "0.5,1,2,6.5", "--json");
        assertTrue(json.out().contains("\"warnings\":[{\"kind\":\"QUANTIZATION\",\"operator\":0,\"tensor\":-1,"
                + "\"where\":\"operator 0 (RELU6)\",\"field\":\"output.quantization\""), json.out());
        CliRun inspect = CliRun.of("inspect", file.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains("\nwarnings\n  warning: operator 0 (RELU6): output.quantization: "),
                inspect.out());

        Path clean = Files.write(dir.resolve("add.tflite"), addModel());
        CliRun quiet = CliRun.of("run", clean.toString(), "--input", "0,0,0,0,0,0,0,0,0,0,0,0");
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertFalse(quiet.err().contains("warning"), quiet.err());
        assertTrue(CliRun.of("inspect", clean.toString()).out().contains("\nwarnings\n  none\n"));
        CliRun quietJson = CliRun.of("run", clean.toString(), "--input", "0,0,0,0,0,0,0,0,0,0,0,0", "--json");
        assertFalse(quietJson.out().contains("warnings"), quietJson.out());
    }
}
