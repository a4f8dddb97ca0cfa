package dev.mote.runtime.testing;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * The real TFLite interpreter (desktop build from {@code org.bytedeco:tensorflow-lite}, test scope) as an oracle:
 * loads model bytes with the builtin kernels and no default delegates (so XNNPACK does not replace the kernels),
 * one thread, and exchanges raw tensor bytes.
 *
 * <pre>{@code
 * try (TfliteOracle tflite = TfliteOracle.load(modelBytes)) {
 *     tflite.setInput(0, inputBytes);
 *     tflite.invoke();
 *     byte[] out = tflite.output(0);
 * }
 * }</pre>
 *
 * <p>Only feed it models of op sets it is known to handle: desktop TFLite can crash the JVM on some models.
 */
public final class TfliteOracle implements AutoCloseable {
    private final BytePointer modelBuffer;
    private final FlatBufferModel model;
    private final BuiltinOpResolverWithoutDefaultDelegates resolver;
    private final InterpreterBuilder builder;
    private final Interpreter interpreter;

    private TfliteOracle(byte[] bytes, boolean preserveAllTensors) {
        modelBuffer = new BytePointer(bytes.length);
        modelBuffer.put(bytes);
        model = FlatBufferModel.BuildFromBuffer(modelBuffer, bytes.length);
        if (model == null || model.isNull()) {
            modelBuffer.close();
            throw new IllegalArgumentException("TFLite refused the model bytes");
        }
        resolver = new BuiltinOpResolverWithoutDefaultDelegates();
        builder = new InterpreterBuilder(model, resolver);
        if (preserveAllTensors) {
            builder.PreserveAllTensorsExperimental();
        }
        interpreter = new Interpreter((Pointer) null);
        if (builder.apply(interpreter) != 0 || interpreter.isNull()) {
            closeNatives();
            throw new IllegalArgumentException("TFLite could not build an interpreter for the model");
        }
        interpreter.SetNumThreads(1);
        if (interpreter.AllocateTensors() != 0) {
            close();
            throw new IllegalArgumentException("TFLite AllocateTensors failed");
        }
    }

    /** Loads a model; throws {@link IllegalArgumentException} if TFLite refuses it. */
    public static TfliteOracle load(byte[] modelBytes) {
        return new TfliteOracle(modelBytes, false);
    }

    /** Loads a model keeping every intermediate tensor readable after invoke (for {@link #tensor(int)}). */
    public static TfliteOracle loadPreservingAllTensors(byte[] modelBytes) {
        return new TfliteOracle(modelBytes, true);
    }

    /** Runs a model once on raw input bytes and returns the raw bytes of output 0. */
    public static byte[] runOnce(byte[] modelBytes, byte[]... inputs) {
        try (TfliteOracle oracle = load(modelBytes)) {
            for (int i = 0; i < inputs.length; i++) {
                oracle.setInput(i, inputs[i]);
            }
            oracle.invoke();
            return oracle.output(0);
        }
    }

    /** Writes raw little-endian bytes into input {@code i}. */
    public void setInput(int i, byte[] raw) {
        TfLiteTensor t = interpreter.input_tensor(i);
        if (t.bytes() != raw.length) {
            throw new IllegalArgumentException("input " + i + " holds " + t.bytes() + " bytes, got " + raw.length);
        }
        if (raw.length > 0) { // an empty tensor has no data pointer
            t.data().raw().put(raw, 0, raw.length);
        }
    }

    public void invoke() {
        if (interpreter.Invoke() != 0) {
            throw new IllegalStateException("TFLite Invoke failed");
        }
    }

    /** The raw bytes of output {@code i}. */
    public byte[] output(int i) {
        TfLiteTensor t = interpreter.output_tensor(i);
        return read(t);
    }

    /** The raw bytes of any tensor by subgraph index (intermediates need {@link #loadPreservingAllTensors}). */
    public byte[] tensor(int index) {
        return read(interpreter.tensor(index));
    }

    private static byte[] read(TfLiteTensor t) {
        byte[] out = new byte[(int) t.bytes()];
        if (out.length > 0) { // an empty tensor has no data pointer
            t.data().raw().get(out, 0, out.length);
        }
        return out;
    }

    private void closeNatives() {
        builder.close();
        resolver.close();
        model.close();
        modelBuffer.close();
    }

    @Override
    public void close() {
        interpreter.close();
        closeNatives();
    }
}
