package dev.mote.runtime.testing;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;

/**
 * Proves, for one operator of a whole model whose inputs were identical in Mote and in desktop TFLite, that every
 * element where the two outputs differ is a documented place where desktop TFLite differs from TFLM, recomputed
 * from the model and the operator input:
 * <ul>
 *   <li>FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D: the negative-half tie ({@link LayerRecomputation},
 *   {@link NegativeHalfTie});</li>
 *   <li>SOFTMAX: desktop TFLite's float lookup table ({@link DesktopSoftmax});</li>
 *   <li>MEAN: desktop TFLite's other rounding paths ({@link DesktopMean});</li>
 *   <li>QUANTIZE float32 → int8: desktop TFLite's double division ({@link DesktopQuantize}).</li>
 * </ul>
 *
 * <pre>{@code
 * KnownDifferences.Proof proof = KnownDifferences.prove(model, opIndex, operatorInput, mote, tflite);
 * counts.merge(proof.rule(), proof.elements(), Integer::sum);
 * }</pre>
 */
public final class KnownDifferences {
    /** The documented difference that explains every differing element of one operator output. */
    public record Proof(String rule, int elements) {
    }

    private KnownDifferences() {
    }

    /**
     * Throws {@link AssertionError} unless every element where {@code mote} and {@code tflite} (the raw outputs of
     * operator {@code opIndex}) differ is a documented difference; returns its rule and how many elements differ.
     *
     * @param input the raw bytes of the operator's input 0, the same in both interpreters
     */
    public static Proof prove(Model model, int opIndex, byte[] input, byte[] mote, byte[] tflite) {
        Operator op = model.mainSubgraph().operators().get(opIndex);
        BuiltinOperator code = model.operatorCodes().get(op.opcodeIndex()).builtin();
        return switch (code) {
            case FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D -> proveTies(model, op, code, input, mote, tflite);
            case SOFTMAX -> proveSoftmax(model, op, input, mote, tflite);
            case MEAN -> proveMean(model, op, input, mote, tflite);
            case QUANTIZE -> proveQuantize(model, op, input, mote, tflite);
            default -> throw new AssertionError(code + " differs from desktop TFLite at element "
                    + firstDifference(mote, tflite) + " and no documented difference covers " + code);
        };
    }

    private static Proof proveTies(Model model, Operator op, BuiltinOperator code, byte[] input, byte[] mote,
                                   byte[] tflite) {
        LayerRecomputation layer = LayerRecomputation.of(model, op);
        int differing = 0;
        for (int e = 0; e < mote.length; e++) {
            if (mote[e] != tflite[e]) {
                layer.proveTie(input, e, mote[e], tflite[e]);
                differing++;
            }
        }
        return new Proof(code + " negative-half tie", differing);
    }

    private static Proof proveSoftmax(Model model, Operator op, byte[] input, byte[] mote, byte[] tflite) {
        Tensor in = model.mainSubgraph().tensor(op.input(0));
        Tensor out = model.mainSubgraph().tensor(op.output(0));
        boolean int16 = out.type() == TensorType.INT16;
        int differing = DesktopSoftmax.of(model, op).proveRows("SOFTMAX", input, in.dim(in.rank() - 1),
                int16 ? LittleEndian.toShorts(mote) : LittleEndian.toInt8s(mote),
                int16 ? LittleEndian.toShorts(tflite) : LittleEndian.toInt8s(tflite));
        return new Proof("SOFTMAX float lookup table", differing);
    }

    private static Proof proveMean(Model model, Operator op, byte[] input, byte[] mote, byte[] tflite) {
        Subgraph sg = model.mainSubgraph();
        Tensor in = sg.tensor(op.input(0));
        Tensor out = sg.tensor(op.output(0));
        int[] axes = LittleEndian.toInts(model.buffer(sg.tensor(op.input(1)).buffer()).toByteArray());
        boolean keepDims = op.options() instanceof BuiltinOptions.Reducer r && r.keepDims();
        float inScale = in.quantization().scale();
        int inZp = (int) in.quantization().zeroPoint();
        float outScale = out.quantization().scale();
        int outZp = (int) out.quantization().zeroPoint();
        DesktopMean.Path path = DesktopMean.path(in.rank(), keepDims, axes, inScale, inZp, outScale, outZp);
        boolean[] reduced = DesktopMean.reduced(in.rank(), axes);
        long[] sums = DesktopMean.sums(input, in.shape(), reduced);
        int n = DesktopMean.reducedCount(in.shape(), reduced);
        int differing = 0;
        for (int e = 0; e < mote.length; e++) {
            if (mote[e] == tflite[e]) {
                continue;
            }
            int tflm = DesktopMean.tflm(sums[e], n, inScale, inZp, outScale, outZp);
            int desktop = DesktopMean.desktop(path, sums[e], n, inScale, inZp, outScale, outZp);
            if (desktop != tflite[e] || tflm != mote[e]) {
                throw new AssertionError("MEAN element " + e + " (axes " + Arrays.toString(axes) + ", path " + path
                        + "): Mote " + mote[e] + " (TFLM's formula " + tflm + "), TFLite " + tflite[e] + " ("
                        + path.description() + " " + desktop + ")");
            }
            differing++;
        }
        return new Proof("MEAN " + path.description(), differing);
    }

    private static Proof proveQuantize(Model model, Operator op, byte[] input, byte[] mote, byte[] tflite) {
        Subgraph sg = model.mainSubgraph();
        Tensor in = sg.tensor(op.input(0));
        Tensor out = sg.tensor(op.output(0));
        if (in.type() != TensorType.FLOAT32 || out.type() != TensorType.INT8) {
            throw new AssertionError("QUANTIZE " + in.type() + " -> " + out.type() + " differs from desktop TFLite at "
                    + "element " + firstDifference(mote, tflite) + "; only float32 -> int8 has a documented difference");
        }
        float[] x = LittleEndian.toFloats(input);
        float scale = out.quantization().scale();
        int zp = (int) out.quantization().zeroPoint();
        int differing = 0;
        for (int e = 0; e < mote.length; e++) {
            if (mote[e] == tflite[e]) {
                continue;
            }
            int tflm = DesktopQuantize.tflm(x[e], scale, zp);
            int desktop = DesktopQuantize.desktop(x[e], scale, zp);
            if (desktop != tflite[e] || tflm != mote[e]) {
                throw new AssertionError("QUANTIZE element " + e + " (" + x[e] + " / " + scale + "): Mote " + mote[e]
                        + " (float division " + tflm + "), TFLite " + tflite[e] + " (double division " + desktop + ")");
            }
            differing++;
        }
        return new Proof("QUANTIZE double division", differing);
    }

    private static int firstDifference(byte[] a, byte[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return -1;
    }
}
