package dev.mote.runtime.tflm;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Models one runtime runs and the other refuses, as found by the differential tests: the "accept what TFLM accepts"
 * list of issue 15, recorded with both behaviours so that a change on either side shows here. Each test asserts
 * today's verdicts (Mote, then TFLM x86-64); where a later change makes them agree, the test must be updated to
 * an output comparison.
 */
class RefusalsTflmTest {
    private static DeviceComparison.Outcome run(String what, SingleOpModel m, byte[]... inputs) {
        RealTflm tflm = RealTflm.require(ArenaTarget.HOST_64);
        DeviceComparison.Outcome o = DeviceComparison.run(tflm, new DeviceCase(what, 0, what, m.bytes(),
                List.of(inputs)));
        System.out.println("TFLM-REFUSAL " + o.explain().replace("\n", " "));
        return o;
    }

    private static void assertVerdicts(DeviceComparison.Outcome o, boolean moteRuns, boolean tflmRuns) {
        assertEquals(moteRuns, o.moteRefusal() == null, () -> "Mote's verdict: " + o.explain());
        assertEquals(tflmRuns, o.tflm().allocated() && o.tflm().invoked(), () -> "TFLM's verdict: " + o.explain());
    }

    /** TFLM refuses a tensor with a zero dimension at rank 2 or more (AllocateTensors fails); Mote runs it. */
    @Test
    void zeroSizeTensorsTflmRefusesMoteRuns() {
        SingleOpModel relu = new SingleOpModel(BuiltinOperator.RELU, 1, new BuiltinOptions.Empty(0))
                .input(TensorType.FLOAT32, new int[] {2, 0}, Quantization.NONE)
                .output(TensorType.FLOAT32, new int[] {2, 0}, Quantization.NONE);
        assertVerdicts(run("RELU float32 [2, 0]", relu, new byte[0]), true, false);
        SingleOpModel slice = new SingleOpModel(BuiltinOperator.STRIDED_SLICE, 1,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false))
                .input(TensorType.INT8, new int[] {3, 6}, Quantization.perTensor(0.1f, 0))
                .int32Vector(2, 0).int32Vector(1, 6).int32Vector(1, 1)
                .output(TensorType.INT8, new int[] {0, 6}, Quantization.perTensor(0.1f, 0));
        assertVerdicts(run("STRIDED_SLICE [3, 6] begin [2, 0] end [1, 6] -> [0, 6]", slice, new byte[18]), true,
                false);
    }

    /** TFLM's rank-1 empty tensor is fine in both. */
    @Test
    void emptyVectorRunsInBoth() {
        SingleOpModel slice = new SingleOpModel(BuiltinOperator.STRIDED_SLICE, 1,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false))
                .input(TensorType.INT8, new int[] {6}, Quantization.perTensor(0.1f, 0))
                .int32Vector(4).int32Vector(2).int32Vector(1)
                .output(TensorType.INT8, new int[] {0}, Quantization.perTensor(0.1f, 0));
        DeviceComparison.Outcome o = run("STRIDED_SLICE [6] begin 4 end 2 -> [0]", slice, new byte[6]);
        assertVerdicts(o, true, true);
        assertEquals(0, o.tflm().output().length);
    }

    /**
     * TFLM's SQUEEZE only checks that each kept input dimension is at most the output's at that index and that the
     * byte sizes match, so it runs an output declared with the unsqueezed shape; Mote requires the squeezed shape.
     */
    @Test
    void squeezeOutputShapeTflmLaxMoteStrict() {
        Quantization q = Quantization.perTensor(0.1f, 0);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.SQUEEZE, 1, new BuiltinOptions.Squeeze(new int[0]))
                .input(TensorType.INT8, new int[] {4, 3, 1}, q).output(TensorType.INT8, new int[] {4, 3, 1}, q);
        assertVerdicts(run("SQUEEZE [4, 3, 1] -> declared [4, 3, 1]", m, new byte[12]), false, true);
    }

    /**
     * int8 RELU6 with an output quantization other than the input's: Mote refuses it (TFLM's int8 RELU6 clamps in
     * the input's quantization and does not requantize); the assertion records what TFLM does with it.
     */
    @Test
    void relu6WithRequantizedOutput() {
        SingleOpModel m = new SingleOpModel(BuiltinOperator.RELU6, 1, new BuiltinOptions.Empty(0))
                .input(TensorType.INT8, new int[] {8}, Quantization.perTensor(0.05f, -10))
                .output(TensorType.INT8, new int[] {8}, Quantization.perTensor(0.1f, 3));
        assertVerdicts(run("RELU6 int8 in (0.05, -10) out (0.1, 3)", m, new byte[] {-128, -20, -10, 0, 30, 60,
                100, 127}), false, true);
    }
}
