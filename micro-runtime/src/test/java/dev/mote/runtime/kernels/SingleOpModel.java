package dev.mote.runtime.kernels;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A one-operator model with activation inputs, built with {@link ModelBuilder}, run in Mote and in desktop TFLite
 * ({@link TfliteOracle}) on the same raw input bytes.
 *
 * <pre>{@code
 * SingleOpModel m = new SingleOpModel(BuiltinOperator.RELU, 2, BuiltinOptions.NONE)
 *         .input(TensorType.INT8, shape, Quantization.perTensor(0.1f, 3))
 *         .output(TensorType.INT8, shape, Quantization.perTensor(0.05f, -128));
 * byte[] mote = m.runMote(inputBytes);
 * byte[] tflite = m.runTflite(inputBytes);
 * }</pre>
 */
final class SingleOpModel {
    private final BuiltinOperator op;
    private final int version;
    private final BuiltinOptions options;
    private final List<Object[]> inputs = new ArrayList<>();
    private Object[] output;
    private byte[] bytes;

    SingleOpModel(BuiltinOperator op, int version, BuiltinOptions options) {
        this.op = op;
        this.version = version;
        this.options = options;
    }

    SingleOpModel input(TensorType type, int[] shape, Quantization q) {
        inputs.add(new Object[] {type, shape, q});
        return this;
    }

    SingleOpModel output(TensorType type, int[] shape, Quantization q) {
        output = new Object[] {type, shape, q};
        return this;
    }

    byte[] bytes() {
        if (bytes == null) {
            ModelBuilder b = new ModelBuilder();
            int[] in = new int[inputs.size()];
            for (int i = 0; i < in.length; i++) {
                Object[] t = inputs.get(i);
                in[i] = b.addInput("in" + i, (TensorType) t[0], (int[]) t[1], (Quantization) t[2]);
            }
            int out = b.addTensor("out", (TensorType) output[0], (int[]) output[1], (Quantization) output[2]);
            b.addOperator(op, version, options, in, new int[] {out});
            b.addOutput(out);
            bytes = b.toBytes();
        }
        return bytes;
    }

    /** A fresh Mote interpreter with tensors allocated (prepare runs here). */
    MicroInterpreter mote() {
        MicroInterpreter interpreter = new MicroInterpreter(bytes(), OpResolver.allBuiltins(), 1 << 20);
        interpreter.allocateTensors();
        return interpreter;
    }

    byte[] runMote(byte[]... rawInputs) {
        MicroInterpreter interpreter = mote();
        for (int i = 0; i < rawInputs.length; i++) {
            interpreter.input(i).copyFrom(rawInputs[i]);
        }
        interpreter.invoke();
        return interpreter.output(0).toByteArray();
    }

    byte[] runTflite(byte[]... rawInputs) {
        return TfliteOracle.runOnce(bytes(), rawInputs);
    }

    static byte[] floats(float[] values) {
        ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bb.putFloat(v);
        }
        return bb.array();
    }

    static float[] toFloats(byte[] raw) {
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getFloat();
        }
        return out;
    }

    static int[] toShorts(byte[] raw) {
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[raw.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getShort();
        }
        return out;
    }
}
