package dev.mote.exporter;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.tflm.DeviceCase;
import dev.mote.runtime.tflm.DeviceComparison;
import dev.mote.vocabulary.BuiltinOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every export verified on the device's code: one model per DSL layer kind ({@link LayerZoo}), calibrated as the
 * oracle tests do, exported int8, int8 with float I/O and float32, then run in Mote and in real TFLM on seeded
 * random inputs; output bytes must be identical on the x86-64 build and on the Cortex-M3 build (QEMU).
 *
 * <p>The one exception is TFLM's own: float32 LOGISTIC and SOFTMAX call {@code expf}, which newlib (Cortex-M) and
 * glibc (x86-64) round differently for some inputs, so the float32 exports of models with those layers are
 * compared on x86-64 only (see {@code CortexMOutputsTflmTest}).
 */
class LayerZooTflmTest {
    private static final int HOST_INPUTS = 6;
    private static final int CORTEX_M_INPUTS = 1;

    static List<LayerZoo.Case> cases() {
        return LayerZoo.all();
    }

    static byte[] export(LayerZoo.Case c, String kind) {
        RandomParameters p = new RandomParameters(c.spec(), 41);
        Calibration.calibrate(c.spec(), p, c.lo(), c.hi(), 64, 42);
        ExportOptions options = switch (kind) {
            case "int8" -> ExportOptions.int8();
            case "int8 float I/O" -> ExportOptions.int8().withFloatIo(true);
            default -> ExportOptions.float32();
        };
        return TfliteExporter.export(c.spec(), p, options).bytes();
    }

    private static List<DeviceCase> inputs(LayerZoo.Case c, String kind, byte[] model, int count, long seed) {
        int n = (int) c.spec().inputShape().elementCount();
        RandomCases r = new RandomCases(seed);
        List<DeviceCase> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] in = kind.equals("int8") ? r.int8s(n) : LittleEndian.floats(r.floats(n, c.lo(), c.hi()));
            cases.add(new DeviceCase(c.name() + " " + kind, seed, "input " + i, model, List.of(in)));
        }
        return cases;
    }

    /**
     * Float ops that call {@code expf}, whose last bits differ between TFLM's own x86-64 and Cortex-M builds (newlib):
     * their float32 exports are compared on x86-64 only. The float LSTM's sigmoid gates call it too.
     */
    private static boolean callsExpf(LayerZoo.Case c) {
        return c.int8Ops().contains(BuiltinOperator.LOGISTIC) || c.int8Ops().contains(BuiltinOperator.SOFTMAX)
                || c.int8Ops().contains(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM);
    }

    private static void check(ArenaTarget target, LayerZoo.Case c, String kind, int count) {
        RealTflm tflm = RealTflm.require(target);
        byte[] model = export(c, kind);
        List<DeviceComparison.Outcome> outcomes = DeviceComparison.runAll(tflm,
                inputs(c, kind, model, count, 1000 + c.name().hashCode()));
        long identical = outcomes.stream().filter(DeviceComparison.Outcome::identical).count();
        System.out.printf("TFLM-EXPORT %-9s %-24s %-15s inputs %d identical %d%n", target.cliName(), c.name(), kind,
                outcomes.size(), identical);
        for (DeviceComparison.Outcome o : outcomes) {
            assertTrue(o.identical(), () -> target.cliName() + " " + o.explain());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportsRunIdenticallyOnTflmX86(LayerZoo.Case c) {
        for (String kind : List.of("int8", "int8 float I/O", "float32")) {
            check(ArenaTarget.HOST_64, c, kind, HOST_INPUTS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportsRunIdenticallyOnTflmCortexM(LayerZoo.Case c) {
        for (String kind : callsExpf(c) ? List.of("int8", "int8 float I/O") : List.of("int8", "int8 float I/O",
                "float32")) {
            check(ArenaTarget.CORTEX_M, c, kind, CORTEX_M_INPUTS);
        }
    }
}
