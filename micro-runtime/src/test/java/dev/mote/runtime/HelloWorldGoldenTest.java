package dev.mote.runtime;

import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hello World models against real TFLM's golden outputs. */
class HelloWorldGoldenTest {

    private static int[] ints(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.replace("\"", "").trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void int8OutputsEqualTflmForAll256Inputs() {
        byte[] model = ReferenceModels.bytes("hello_world_int8.tflite");
        List<String> rows = ReferenceModels.goldenLines("hello_world_int8_golden.csv");
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), 2048);
        interpreter.allocateTensors();
        int checked = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] cols = row.split(",");
            int input = Integer.parseInt(cols[0]);
            interpreter.input(0).setInt8(0, input);
            int[][] hidden = new int[2][];
            // hidden layers: the outputs of operators 0 and 1, read before the planner reuses their bytes
            interpreter.invoke(node -> {
                if (node.operatorIndex() < 2) {
                    hidden[node.operatorIndex()] = node.output(0).toIntArray();
                }
            });
            assertArrayEquals(ints(cols[1]), hidden[0], "layer 0 for input " + input);
            assertArrayEquals(ints(cols[2]), hidden[1], "layer 1 for input " + input);
            assertEquals(Integer.parseInt(cols[3]), interpreter.output(0).getInt8(0), "output for input " + input);
            assertEquals(Float.parseFloat(cols[4]), interpreter.output(0).dequantize(0), 1e-7f);
            checked++;
        }
        assertEquals(256, checked);
    }

    @Test
    void floatOutputsMatchTflmWithin1e6() {
        byte[] model = ReferenceModels.bytes("hello_world_float.tflite");
        List<String> rows = ReferenceModels.goldenLines("hello_world_float_golden.csv");
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), 4096);
        interpreter.allocateTensors();
        int checked = 0;
        double worst = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] cols = row.split(",");
            float x = Float.parseFloat(cols[0]);
            float expected = Float.intBitsToFloat(Integer.parseUnsignedInt(cols[2].substring(2), 16));
            interpreter.input(0).setFloat(0, x);
            interpreter.invoke();
            float actual = interpreter.output(0).getFloat(0);
            worst = Math.max(worst, Math.abs(actual - expected));
            assertEquals(expected, actual, 1e-6f, "x = " + x);
            checked++;
        }
        assertEquals(101, checked);
        assertTrue(worst <= 1e-6);
    }
}
