package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.vocabulary.BuiltinOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first cases of every variant on the Cortex-M3 build of real TFLM ({@code tflm_run_cm} under QEMU): Mote's
 * output bytes equal the device's. {@code -Dmote.tflm.cm.cases=N} for more per variant.
 *
 * <p>The float32 ops that call {@code expf} (LOGISTIC, SOFTMAX, and UNIDIRECTIONAL_SEQUENCE_LSTM, whose gates are
 * float sigmoids) are the one exception, and it is TFLM's own: its
 * Cortex-M3 build links newlib's fdlibm {@code expf} (float arithmetic), its x86-64 build glibc's (double
 * arithmetic, one rounding), and the two differ in the last bit for some inputs, so TFLM's two builds disagree with
 * each other there. Mote computes glibc's; for these variants the test asserts that Mote equals the x86-64 build on
 * the same cases and reports how many of them the Cortex-M build computes differently.
 */
class CortexMOutputsTflmTest {
    static final int CASES = Integer.getInteger("mote.tflm.cm.cases", 3);

    static Stream<Variant> variants() {
        return Stream.of(ConvolutionCases.variants(), PoolingArithmeticCases.variants(),
                ActivationCases.variants(), ShapeCases.variants(), LstmCases.variants(), Int16Cases.variants(),
                SvdfCases.variants(), TransposeConvCases.variants())
                .flatMap(List::stream);
    }

    /** Float32 variants whose TFLM kernel calls {@code std::exp} on a float. */
    static boolean callsExpf(Variant v) {
        return v.name().endsWith("float32")
                && (v.op() == BuiltinOperator.LOGISTIC || v.op() == BuiltinOperator.SOFTMAX
                || v.op() == BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void outputsAreIdenticalToTflmOnCortexM(Variant variant) {
        RealTflm cm = RealTflm.require(ArenaTarget.CORTEX_M);
        List<DeviceComparison.Outcome> outcomes = DeviceComparison.runAll(cm, variant, CASES);
        if (!callsExpf(variant)) {
            DeviceComparison.assertAllIdentical("Cortex-M", variant.name(), outcomes);
            return;
        }
        RealTflm host = RealTflm.require(ArenaTarget.HOST_64);
        List<DeviceCase> cases = new ArrayList<>();
        outcomes.forEach(o -> cases.add(o.c()));
        List<DeviceComparison.Outcome> onHost = DeviceComparison.runAll(host, cases);
        int cmDiffers = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            DeviceComparison.Outcome h = onHost.get(i);
            assertTrue(h.identical(), () -> "x86-64: " + h.explain());
            // Mote equals the x86-64 build, so wherever it differs from the Cortex-M build the two builds differ
            cmDiffers += outcomes.get(i).identical() ? 0 : 1;
        }
        System.out.printf("TFLM-DIFF %-9s %-32s cases %5d identical %5d (expf: TFLM's Cortex-M build differs from "
                + "its x86-64 build in %d)%n", "Cortex-M", variant.name(), outcomes.size(),
                outcomes.size() - cmDiffers, cmDiffers);
    }
}
