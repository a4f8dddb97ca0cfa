package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.RealTflm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LSTM's state across invokes. In TFLM the output and cell states are variable tensors: Invoke keeps them for
 * the next invoke, only AllocateTensors (ResetVariableTensors: int8 to the zero point, else zero bytes) resets them.
 * {@code tflm_run} prints and dumps the output of its first invoke, so the oracle for a second invoke is a model
 * with the same weights whose every batch row plays its input sequence twice ({@link LstmCases#lstm(long,
 * RandomCases, boolean, int)}): one TFLM invoke of it runs the same steps on the same states as two invokes of the
 * plain model. Mote's first invoke of the plain model equals TFLM's, its second the repeated model's second half,
 * and an invoke after {@link MicroInterpreter#resetVariableTensors()} TFLM's first again.
 */
class LstmStateTflmTest {
    static final int CASES = 10;

    static List<Variant> variants() {
        return LstmCases.variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void stateCarriesOverInvokesAsInTflm(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        boolean int8 = variant.name().endsWith("int8");
        int changed = 0;
        for (int i = 1; i <= CASES; i++) {
            long seed = variant.seedBase() + i;
            DeviceCase once = variant.draw(seed);
            DeviceCase twice = LstmCases.lstm(seed, new RandomCases(new SplittableRandom(seed)), int8, 2);
            MicroInterpreter mote = new MicroInterpreter(once.model(), OpResolver.allBuiltins(),
                    DeviceComparison.ARENA_BYTES);
            mote.allocateTensors();
            mote.input(0).copyFrom(once.inputs().get(0));
            mote.invoke();
            byte[] first = mote.output(0).toByteArray();
            mote.invoke();
            byte[] second = mote.output(0).toByteArray();
            RealTflm.Run one = tflm.run(once.model(), DeviceComparison.ARENA_BYTES, once.concatenatedInputs(), false);
            RealTflm.Run two = tflm.run(twice.model(), DeviceComparison.ARENA_BYTES, twice.concatenatedInputs(), false);
            assertTrue(one.invoked() && two.invoked(), () -> once + ": TFLM did not invoke");
            assertArrayEquals(one.output(), first, () -> once + ": first invoke");
            assertArrayEquals(secondHalf(two.output(), mote), second, () -> once + ": second invoke (vs " + twice
                    + ")");
            changed += Arrays.equals(first, second) ? 0 : 1;
            // resetVariableTensors() returns the states to what TFLM's AllocateTensors leaves: the third invoke
            // computes the first one's bytes again
            mote.resetVariableTensors();
            mote.invoke();
            assertArrayEquals(one.output(), mote.output(0).toByteArray(), () -> once + ": invoke after reset");
        }
        assertTrue(changed > 0, "no case's second invoke differs from its first: the state did not carry over");
        System.out.printf("LSTM-STATE %s: %d cases, first and second invoke identical to TFLM (%d differ between "
                + "invokes)%n", variant.name(), CASES, changed);
    }

    /** The outputs of the second play of each sequence in the repeated model's output. */
    private static byte[] secondHalf(byte[] out, MicroInterpreter plain) {
        MicroTensor y = plain.output(0);
        BuiltinOptions.UnidirectionalSequenceLstm o = (BuiltinOptions.UnidirectionalSequenceLstm) plain.model()
                .mainSubgraph().operators().get(0).options();
        int blocks = o.timeMajor() ? 1 : y.dim(0);
        int block = y.byteSize() / blocks;
        byte[] half = new byte[y.byteSize()];
        for (int k = 0; k < blocks; k++) {
            System.arraycopy(out, (2 * k + 1) * block, half, k * block, block);
        }
        return half;
    }
}
