package dev.mote.runtime.testing;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KnownDifferences} on single-op models run in Mote and desktop TFLite: a real difference is proven and
 * counted under its rule, and a difference that is not the documented one is refused.
 */
class KnownDifferencesTest {

    /** float32 -> int8 QUANTIZE on inputs placed next to rounding boundaries, where double division differs. */
    @Test
    void quantizeDoubleDivisionIsProvenAndAnythingElseRefused() {
        RandomCases r = new RandomCases(8001);
        float scale = 0.0123f;
        int zp = -7;
        int[] shape = {1, 600};
        SingleOpModel model = new SingleOpModel(BuiltinOperator.QUANTIZE, 1, BuiltinOptions.NONE)
                .input(TensorType.FLOAT32, shape, Quantization.NONE)
                .output(TensorType.INT8, shape, Quantization.perTensor(scale, zp));
        float[] x = r.floats(600, -100 * scale, 100 * scale);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((Math.floor(x[i] / scale) + 0.5) * scale);
        }
        byte[] input = LittleEndian.floats(x);
        byte[] mote = model.runMote(input);
        byte[] tflite = model.runTflite(input);
        KnownDifferences.Proof proof = KnownDifferences.prove(ModelReader.read(model.bytes()), 0, input, mote,
                tflite);
        assertEquals("QUANTIZE double division", proof.rule());
        assertTrue(proof.elements() > 0, "near-boundary inputs should show the known difference");

        byte[] forged = tflite.clone();
        forged[0] = (byte) (forged[0] + 2);
        assertThrows(AssertionError.class, () -> KnownDifferences.prove(ModelReader.read(model.bytes()), 0, input,
                mote, forged));
    }

    /** An op without a documented difference may not differ at all. */
    @Test
    void refusesAnyDifferenceOfAnOpWithoutADocumentedOne() {
        int[] shape = {4};
        Quantization q = Quantization.perTensor(0.1f, 0);
        SingleOpModel relu = new SingleOpModel(BuiltinOperator.RELU, 2, BuiltinOptions.NONE)
                .input(TensorType.INT8, shape, q).output(TensorType.INT8, shape, q);
        byte[] input = {1, -2, 3, -4};
        byte[] mote = relu.runMote(input);
        byte[] other = mote.clone();
        other[2]++;
        assertThrows(AssertionError.class, () -> KnownDifferences.prove(ModelReader.read(relu.bytes()), 0, input,
                mote, other));
    }
}
