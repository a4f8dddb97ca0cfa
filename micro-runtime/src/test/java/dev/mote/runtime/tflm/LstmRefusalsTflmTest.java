package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LSTM operand configurations TFLM's kernel refuses (its LstmTensors::ValidateTensorStatus: the LSTM variants'
 * operands present, a required weight omitted as CIFG does, a state that is not a variable): real TFLM does not
 * allocate them and Mote refuses them with a typed failure naming the operand.
 */
class LstmRefusalsTflmTest {
    record Refusal(String name, String operand, LstmCases.Edit edit) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Refusal> refusals() {
        List<Refusal> out = new ArrayList<>();
        out.add(new Refusal("peephole", "cell_to_forget_weights", (b, in, s, w) ->
                in[10] = b.addConstant("cell_to_forget_weights", w, new int[] {s}, new byte[s * w.bytesPerElement()],
                        Quantization.perTensor(0.01f, 0))));
        out.add(new Refusal("projection", "projection_weights", (b, in, s, w) ->
                in[16] = b.addConstant("projection_weights", w, new int[] {s, s}, new byte[s * s * w.bytesPerElement()],
                        Quantization.perTensor(0.01f, 0))));
        out.add(new Refusal("layer norm", "forget_layer_norm_coefficients", (b, in, s, w) ->
                in[21] = b.addConstant("forget_layer_norm_coefficients", TensorType.INT16, new int[] {s},
                        new byte[s * 2], Quantization.perTensor(0.001f, 0))));
        out.add(new Refusal("CIFG (no input gate)", "input_to_input_weights", (b, in, s, w) -> {
            in[1] = -1;
            in[5] = -1;
            in[12] = -1;
        }));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void tflmAndMoteRefuse(Refusal refusal) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        for (boolean int8 : new boolean[] {true, false}) {
            for (int i = 1; i <= 2; i++) {
                long seed = 9_500_000 + i;
                DeviceCase c = LstmCases.lstm(seed, new RandomCases(new SplittableRandom(seed)), int8, 1,
                        refusal.edit());
                DeviceComparison.Outcome o = DeviceComparison.run(tflm, c);
                assertFalse(o.tflm().allocated(), () -> refusal + ": TFLM allocates it: " + o.explain());
                assertTrue(o.moteRefusal() != null && o.moteRefusal().startsWith("InvalidModelException")
                        && o.moteRefusal().contains(refusal.operand()), () -> refusal + ": " + o.explain());
            }
        }
    }
}
