package dev.mote.runtime.kernels;

import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.QuantizedMath;
import dev.mote.runtime.testing.TfliteOracle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Test support for single-op models: runs model bytes in Mote and in desktop TFLite, and the rounding arithmetic
 * both use for the final requantization shift, written out independently of the kernels.
 *
 * <p>TFLM (and Mote) requantize with {@code RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc << left, m),
 * right)}, which rounds an exact half away from zero. Desktop TFLite's optimized kernels (ruy) round that final
 * shift half up, so when the high product is negative and its dropped bits are exactly one half, desktop TFLite is
 * one larger (before clamping). {@link #isNegativeHalfTie} recognises exactly that case.
 */
final class OpOracle {
    private OpOracle() {
    }

    /** Runs the model in Mote with one input and returns output 0's raw bytes. */
    static byte[] mote(byte[] model, byte[] input) {
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), arenaFor(model, input));
        interpreter.allocateTensors();
        interpreter.input(0).copyFrom(input);
        interpreter.invoke();
        return interpreter.output(0).toByteArray();
    }

    private static int arenaFor(byte[] model, byte[] input) {
        return 64 * 1024 + 8 * input.length;
    }

    /** Runs the model in desktop TFLite with one input and returns output 0's raw bytes. */
    static byte[] tflite(byte[] model, byte[] input) {
        return TfliteOracle.runOnce(model, input);
    }

    /** TFLM's requantization of an accumulator (bias included), clamped. */
    static int requantizeTflm(int acc, int multiplier, int shift, int zeroPoint, int min, int max) {
        int high = highProduct(acc, multiplier, shift);
        int right = Math.max(-shift, 0);
        int scaled = right == 0 ? high : roundHalfAwayFromZeroShift(high, right);
        return Math.max(min, Math.min(max, scaled + zeroPoint));
    }

    /** Desktop TFLite's (ruy's) requantization: the same, except that the final shift rounds half up. */
    static int requantizeHalfUp(int acc, int multiplier, int shift, int zeroPoint, int min, int max) {
        int high = highProduct(acc, multiplier, shift);
        int right = Math.max(-shift, 0);
        int scaled = right == 0 ? high : (int) (((long) high + (1L << (right - 1))) >> right);
        return Math.max(min, Math.min(max, scaled + zeroPoint));
    }

    /** True if the final shift of {@code acc} drops exactly one half of a negative value. */
    static boolean isNegativeHalfTie(int acc, int multiplier, int shift) {
        int high = highProduct(acc, multiplier, shift);
        int right = Math.max(-shift, 0);
        if (right == 0 || high >= 0) {
            return false;
        }
        long mask = (1L << right) - 1;
        return (high & mask) == (1L << (right - 1));
    }

    private static int highProduct(int acc, int multiplier, int shift) {
        int left = Math.max(shift, 0);
        return QuantizedMath.saturatingRoundingDoublingHighMul(acc * (1 << left), multiplier);
    }

    /** {@code x / 2^n} rounded half away from zero, in long arithmetic (independent of gemmlowp's bit tricks). */
    private static int roundHalfAwayFromZeroShift(int x, int n) {
        long half = 1L << (n - 1);
        long magnitude = Math.abs((long) x);
        long q = (magnitude + half) >> n;
        return (int) (x < 0 ? -q : q);
    }

    /** A float whose logarithm is uniform in [log lo, log hi). */
    static float logUniform(SplittableRandom r, double lo, double hi) {
        return (float) Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }

    static byte[] intsToBytes(int[] values) {
        ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bb.putInt(v);
        }
        return bb.array();
    }

    static byte[] floatsToBytes(float[] values) {
        ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bb.putFloat(v);
        }
        return bb.array();
    }

    static float[] bytesToFloats(byte[] raw) {
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getFloat();
        }
        return out;
    }

    /** TFLite's output size for one spatial dimension (GetWindowedOutputSize). */
    static int outSize(boolean same, int in, int filter, int stride, int dilation) {
        int effective = (filter - 1) * dilation + 1;
        return same ? (in + stride - 1) / stride : (in - effective + stride) / stride;
    }

    /** TFLite's padding before the first element for one spatial dimension. */
    static int padBefore(int in, int filter, int stride, int dilation, int out) {
        int effective = (filter - 1) * dilation + 1;
        return Math.max(0, (out - 1) * stride + effective - in) / 2;
    }
}
