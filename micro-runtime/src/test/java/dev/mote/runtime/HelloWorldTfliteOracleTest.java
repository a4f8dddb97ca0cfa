package dev.mote.runtime;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.testing.LayerRecomputation;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.ReferenceModels;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Hello World models in Mote and in the real (desktop) TFLite interpreter. Desktop TFLite's optimized
 * FULLY_CONNECTED rounds an exact negative half of the final shift up, TFLM's reference kernel rounds it away from
 * zero; Mote follows TFLM. Every layer of every input is checked: TFLite's layer output must equal an independent
 * recomputation with round-half-up in the final shift, Mote's must equal the same recomputation with TFLM's
 * rounding — so every difference between the two is proven to be such a tie.
 */
class HelloWorldTfliteOracleTest {

    @Test
    void int8EveryDifferenceFromDesktopTfliteIsAnExactNegativeHalfTie() {
        byte[] bytes = ReferenceModels.bytes("hello_world_int8.tflite");
        MicroInterpreter mote = new MicroInterpreter(bytes, OpResolver.allBuiltins(), 2048);
        mote.allocateTensors();
        Model model = mote.model();
        List<Operator> ops = model.mainSubgraph().operators();
        List<LayerRecomputation> layers = ops.stream().map(op -> LayerRecomputation.of(model, op)).toList();
        List<Integer> inputs = new ArrayList<>();
        for (int q = -128; q <= 127; q++) {
            inputs.add(q);
        }
        for (int i = 0; i < 1000; i++) {
            inputs.add(mote.input(0).quantize((float) (2 * Math.PI * i / 999.0)));
        }
        int differingAll256 = 0;
        int differing = 0;
        try (TfliteOracle tflite = TfliteOracle.loadPreservingAllTensors(bytes)) {
            for (int n = 0; n < inputs.size(); n++) {
                int q = inputs.get(n);
                mote.input(0).setInt8(0, q);
                byte[][] moteLayers = new byte[ops.size()][];
                mote.invoke(node -> moteLayers[node.operatorIndex()] = node.output(0).toByteArray());
                tflite.setInput(0, new byte[] {(byte) q});
                tflite.invoke();
                byte[] tfliteIn = {(byte) q};
                byte[] moteIn = {(byte) q};
                for (int l = 0; l < ops.size(); l++) {
                    byte[] tfliteOut = tflite.tensor(ops.get(l).output(0));
                    assertArrayEquals(layers.get(l).desktopOutputs(tfliteIn), LittleEndian.toInt8s(tfliteOut),
                            "TFLite layer " + l + " is not explained by round-half-up ties, input " + q);
                    assertArrayEquals(layers.get(l).tflmOutputs(moteIn), LittleEndian.toInt8s(moteLayers[l]),
                            "Mote layer " + l + " differs from TFLM's reference arithmetic, input " + q);
                    tfliteIn = tfliteOut;
                    moteIn = moteLayers[l];
                }
                if (moteIn[0] != tfliteIn[0]) {
                    differing++;
                    if (n < 256) {
                        differingAll256++;
                    }
                }
            }
        }
        System.out.printf("hello_world_int8: %d of 256 int8 inputs and %d of %d inputs in all differ from desktop "
                + "TFLite, each by an exact negative-half tie%n", differingAll256, differing, inputs.size());
        assertEquals(2, differingAll256, "the number of tie cases among all 256 int8 inputs (known: 2)");
    }

    @Test
    void floatMatchesDesktopTfliteOn1000Inputs() {
        byte[] bytes = ReferenceModels.bytes("hello_world_float.tflite");
        MicroInterpreter mote = new MicroInterpreter(bytes, OpResolver.allBuiltins(), 4096);
        mote.allocateTensors();
        double worst = 0;
        try (TfliteOracle tflite = TfliteOracle.load(bytes)) {
            for (int i = 0; i < 1000; i++) {
                float x = (float) (2 * Math.PI * i / 999.0);
                mote.input(0).setFloat(0, x);
                mote.invoke();
                tflite.setInput(0, LittleEndian.floats(x));
                tflite.invoke();
                float expected = LittleEndian.toFloats(tflite.output(0))[0];
                worst = Math.max(worst, Math.abs(expected - mote.output(0).getFloat(0)));
            }
        }
        System.out.printf("hello_world_float: largest difference from desktop TFLite over 1000 inputs: %.3g%n", worst);
        assertTrue(worst <= 1e-6, "largest difference " + worst);
    }
}
