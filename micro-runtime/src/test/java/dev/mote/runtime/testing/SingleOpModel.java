package dev.mote.runtime.testing;

import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-operator model built with {@link ModelBuilder}: activation inputs and constants in operator-input order, one
 * output. It runs in Mote and in desktop TFLite ({@link TfliteOracle}) on the same raw input bytes.
 *
 * <pre>{@code
 * SingleOpModel m = new SingleOpModel(BuiltinOperator.CONV_2D, 3, options)
 *         .input(TensorType.INT8, new int[] {1, 8, 8, 2}, Quantization.perTensor(0.1f, 3))
 *         .constant(TensorType.INT8, new int[] {4, 3, 3, 2}, weights, Quantization.perChannel(scales, zeros, 0))
 *         .int32Constant(new int[] {4}, bias, Quantization.NONE)
 *         .output(TensorType.INT8, new int[] {1, 8, 8, 4}, Quantization.perTensor(0.05f, -128));
 * byte[] mote = m.runMote(inputBytes);
 * byte[] tflite = m.runTflite(inputBytes);
 * }</pre>
 */
public final class SingleOpModel {
    private record Operand(TensorType type, int[] shape, Quantization quantization, byte[] constantData) {
    }

    private final BuiltinOperator op;
    private final int version;
    private final BuiltinOptions options;
    private final List<Operand> operands = new ArrayList<>();
    private Operand output;
    private byte[] bytes;

    public SingleOpModel(BuiltinOperator op, int version, BuiltinOptions options) {
        this.op = op;
        this.version = version;
        this.options = options;
    }

    /** Appends an activation input (fed at run time, in the order of the {@code input} calls). */
    public SingleOpModel input(TensorType type, int[] shape, Quantization quantization) {
        return add(new Operand(type, shape, quantization, null));
    }

    /** Appends a constant input holding raw little-endian {@code data}. */
    public SingleOpModel constant(TensorType type, int[] shape, byte[] data, Quantization quantization) {
        return add(new Operand(type, shape, quantization, data));
    }

    /** Appends an INT32 constant input. */
    public SingleOpModel int32Constant(int[] shape, int[] values, Quantization quantization) {
        return constant(TensorType.INT32, shape, LittleEndian.ints(values), quantization);
    }

    /** Appends an INT32 vector constant (shape {@code [values.length]}), e.g. axes, a permutation, a shape. */
    public SingleOpModel int32Vector(int... values) {
        return int32Constant(new int[] {values.length}, values, Quantization.NONE);
    }

    /** Appends a FLOAT32 constant input. */
    public SingleOpModel floatConstant(int[] shape, float[] values) {
        return constant(TensorType.FLOAT32, shape, LittleEndian.floats(values), Quantization.NONE);
    }

    /** Sets the (single) output. */
    public SingleOpModel output(TensorType type, int[] shape, Quantization quantization) {
        output = new Operand(type, shape, quantization, null);
        bytes = null;
        return this;
    }

    private SingleOpModel add(Operand operand) {
        operands.add(operand);
        bytes = null;
        return this;
    }

    /** The model bytes (built once, until the model is changed). */
    public byte[] bytes() {
        if (bytes == null) {
            ModelBuilder b = new ModelBuilder();
            int[] in = new int[operands.size()];
            for (int i = 0; i < in.length; i++) {
                Operand t = operands.get(i);
                in[i] = t.constantData() == null ? b.addInput("in" + i, t.type(), t.shape(), t.quantization())
                        : b.addConstant("const" + i, t.type(), t.shape(), t.constantData(), t.quantization());
            }
            int out = b.addTensor("out", output.type(), output.shape(), output.quantization());
            b.addOperator(op, version, options, in, new int[] {out});
            b.addOutput(out);
            bytes = b.toBytes();
        }
        return bytes;
    }

    /** A fresh Mote interpreter with tensors allocated (prepare runs here). */
    public MicroInterpreter mote() {
        return ModelRuns.allocated(bytes());
    }

    /** Output 0's raw bytes after one Mote invocation on the activation inputs' raw bytes. */
    public byte[] runMote(byte[]... rawInputs) {
        return ModelRuns.mote(bytes(), rawInputs);
    }

    /** Output 0's raw bytes after one desktop TFLite invocation on the activation inputs' raw bytes. */
    public byte[] runTflite(byte[]... rawInputs) {
        return ModelRuns.tflite(bytes(), rawInputs);
    }

    /** The element count of a shape ({@code 1} for a scalar). */
    public static int elementCount(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Asserts that Mote refuses this model in prepare, naming the op and {@code field}. */
    public InvalidModelException assertRefused(String field) {
        return ModelRuns.assertRefused(bytes(), op, field);
    }
}
