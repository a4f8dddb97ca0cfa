package dev.mote.runtime.kernels;

import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.TensorType;
import dev.mote.runtime.testing.TfliteOracle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers for the single-op kernel tests: random tensors, running a model in Mote and in desktop TFLite. */
final class KernelHarness {
    /** Arena for the small test models (their tensors stay far below this). */
    static final int ARENA_BYTES = 1 << 20;

    private KernelHarness() {
    }

    /** Runs the model once in Mote on raw input bytes and returns the raw bytes of output 0. */
    static byte[] mote(byte[] model, byte[]... inputs) {
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), ARENA_BYTES);
        interpreter.allocateTensors();
        for (int i = 0; i < inputs.length; i++) {
            interpreter.input(i).copyFrom(inputs[i]);
        }
        interpreter.invoke();
        return interpreter.output(0).toByteArray();
    }

    /** Runs the model once in desktop TFLite and returns the raw bytes of output 0. */
    static byte[] tflite(byte[] model, byte[]... inputs) {
        return TfliteOracle.runOnce(model, inputs);
    }

    /** Asserts that Mote refuses the model at allocation with a message naming the operator, op and field. */
    static InvalidModelException assertRefused(byte[] model, BuiltinOperator op, String field) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> {
            MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), ARENA_BYTES);
            interpreter.allocateTensors();
        });
        String expected = "operator 0 (" + op + "): " + field + ":";
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    /** The element count of a shape. */
    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Random dims in {@code [min, max]}. */
    static int[] randomShape(Random r, int rank, int min, int max) {
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = min + r.nextInt(max - min + 1);
        }
        return shape;
    }

    /** Random raw bytes for {@code count} elements of {@code type}. */
    static byte[] randomData(Random r, TensorType type, int count) {
        ByteBuffer bb = ByteBuffer.allocate(count * type.bytesPerElement()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case FLOAT32 -> bb.putFloat((float) (r.nextGaussian() * 10));
                case INT8, UINT8, BOOL -> bb.put((byte) r.nextInt(type == TensorType.BOOL ? 2 : 256));
                case INT16 -> bb.putShort((short) r.nextInt(65536));
                case INT32 -> bb.putInt(r.nextInt());
                case INT64 -> bb.putLong(r.nextLong());
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return bb.array();
    }

    /** Plausible quantization for a tensor of {@code type}: int8 random scale and zero point, int16 symmetric. */
    static Quantization randomQuantization(Random r, TensorType type) {
        return switch (type) {
            case INT8 -> Quantization.perTensor((float) (0.001 + r.nextDouble() * 0.5), r.nextInt(256) - 128);
            case INT16 -> Quantization.perTensor((float) (0.0001 + r.nextDouble() * 0.01), 0);
            default -> Quantization.NONE;
        };
    }

    /** An INT32 vector constant. */
    static int int32Vector(ModelBuilder b, String name, int... values) {
        return b.addInt32Constant(name, new int[] {values.length}, values, Quantization.NONE);
    }

    /** Options for ops whose options table has no fields (PAD, TRANSPOSE, EXPAND_DIMS, PADV2). */
    static BuiltinOptions emptyOptions(int unionType) {
        return new BuiltinOptions.Empty(unionType);
    }

    /** A random permutation of {@code 0..n-1}. */
    static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static String describe(int[] a) {
        return Arrays.toString(a);
    }

    /** Little-endian floats from raw bytes. */
    static float[] floats(byte[] raw) {
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getFloat();
        }
        return out;
    }
}
