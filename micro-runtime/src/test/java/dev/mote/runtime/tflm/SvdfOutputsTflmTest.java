package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SVDF (int8 with int16 or int8 state, float32) and int16 SOFTMAX ({@link SvdfCases}) on seeded random single-op
 * models: Mote's output bytes equal real TFLM's ({@code tflm_run}, x86-64), {@value #CASES} cases per variant
 * ({@code -Dmote.tflm.cases=N} for more); {@value #CM_CASES} per variant on Cortex-M; arena figures (used bytes,
 * smallest arena) of {@value #ARENA_CASES} models per variant on x86-64 and {@value #CM_CASES} on Cortex-M.
 * {@link CortexMOutputsTflmTest} and {@link ArenaFiguresTflmTest} run these variants too.
 *
 * <p>The SVDF state across invokes: {@code tflm_run} prints its first invoke's output, so the oracle for invoke k is
 * a model with k SVDF operators in a row sharing the weights and the one state tensor, operator j reading input j
 * ({@link SvdfCases#svdf}): Mote's invokes 1, 2, 3 of the plain model equal TFLM's single invoke of the 1-, 2- and
 * 3-operator models, and an invoke after {@link MicroInterpreter#resetVariableTensors()} equals the first again.
 */
class SvdfOutputsTflmTest {
    static final int CASES = Integer.getInteger("mote.tflm.cases", 40);
    static final int STATE_CASES = 15;
    static final int CM_CASES = 4;
    static final int ARENA_CASES = 10;

    static List<Variant> variants() {
        return SvdfCases.variants();
    }

    static TensorType stateType(Variant variant) {
        return variant.name().endsWith("float32") ? TensorType.FLOAT32
                : variant.name().contains("int16 state") ? TensorType.INT16 : TensorType.INT8;
    }

    static List<Variant> svdfVariants() {
        return SvdfCases.variants().stream().filter(v -> v.op() == BuiltinOperator.SVDF).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void outputsAreIdenticalToTflm(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        DeviceComparison.assertAllIdentical("x86-64", variant.name(),
                DeviceComparison.runAll(tflm, variant, DeviceComparison.cases(CASES)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void outputsAreIdenticalToTflmOnCortexM(Variant variant) {
        RealTflm cm = RealTflm.require(ArenaTarget.CORTEX_M);
        DeviceComparison.assertAllIdentical("Cortex-M", variant.name(),
                DeviceComparison.runAll(cm, variant, CM_CASES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void arenaFiguresEqualTflmOnBothAbis(Variant variant) {
        for (ArenaTarget target : new ArenaTarget[] {ArenaTarget.HOST_64, ArenaTarget.CORTEX_M}) {
            RealTflm tflm = RealTflm.require(target);
            ArenaComparison.assertAllIdentical(variant.name(), ArenaComparison.runAll(tflm,
                    ArenaComparison.cases(variant, target == ArenaTarget.HOST_64 ? ARENA_CASES : CM_CASES)));
        }
    }

    /**
     * An SVDF without its optional bias: TFLM's {@code PrepareSvdf} uses the absent bias (its scale for int8, the
     * deallocation of its temporary for both types) and does not get through allocation; Mote refuses the node.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("svdfVariants")
    void anOmittedBiasIsRefusedAsTflmCannotPrepareIt(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        long seed = variant.seedBase() + 1;
        DeviceCase c = SvdfCases.svdf(seed, new RandomCases(new SplittableRandom(seed)), stateType(variant), 1,
                false);
        byte[] noBias = c.model();
        RealTflm.Run run = tflm.run(noBias, DeviceComparison.ARENA_BYTES, c.concatenatedInputs(), false);
        assertTrue(!run.invoked(), () -> c + " without bias: TFLM invokes it");
        MicroInterpreter mote = new MicroInterpreter(noBias, OpResolver.allBuiltins(), DeviceComparison.ARENA_BYTES);
        dev.mote.runtime.InvalidModelException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.mote.runtime.InvalidModelException.class, mote::allocateTensors);
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
        System.out.printf("SVDF-NO-BIAS %s: TFLM %s, Mote refuses%n", variant.name(),
                run.allocated() ? "allocates but does not invoke" : "does not allocate");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("svdfVariants")
    void stateCarriesOverInvokesAsInTflm(Variant variant) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        TensorType state = stateType(variant);
        int plays = 3;
        int changed = 0;
        for (int i = 1; i <= STATE_CASES; i++) {
            long seed = variant.seedBase() + i;
            DeviceCase once = variant.draw(seed);
            MicroInterpreter mote = new MicroInterpreter(once.model(), OpResolver.allBuiltins(),
                    DeviceComparison.ARENA_BYTES);
            mote.allocateTensors();
            DeviceCase all = SvdfCases.svdf(seed, new RandomCases(new SplittableRandom(seed)), state, plays);
            byte[] first = null;
            for (int k = 1; k <= plays; k++) {
                DeviceCase played = SvdfCases.svdf(seed, new RandomCases(new SplittableRandom(seed)), state, k);
                mote.input(0).copyFrom(all.inputs().get(k - 1));
                mote.invoke();
                byte[] mine = mote.output(0).toByteArray();
                RealTflm.Run run = tflm.run(played.model(), DeviceComparison.ARENA_BYTES,
                        played.concatenatedInputs(), false);
                assertTrue(run.invoked(), () -> played + ": TFLM did not invoke:\n" + run.log());
                int invoke = k;
                assertArrayEquals(run.output(), mine, () -> played + ": invoke " + invoke);
                if (k == 1) {
                    first = mine;
                } else if (!Arrays.equals(first, mine)) {
                    changed++;
                }
            }
            mote.resetVariableTensors();
            mote.input(0).copyFrom(all.inputs().get(0));
            mote.invoke();
            assertArrayEquals(first, mote.output(0).toByteArray(), () -> once + ": invoke after reset");
        }
        assertTrue(changed > 0, "no later invoke differs from the first: the state did not carry over");
        System.out.printf("SVDF-STATE %s: %d cases, invokes 1-%d identical to TFLM (%d later invokes differ from "
                + "the first)%n", variant.name(), STATE_CASES, plays, changed);
    }
}
