package dev.mote.cli;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.OpResolver;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;

/** An allocated interpreter for a model file, with helpers to fill inputs the way the CLI accepts them. */
final class Session {
    final ModelFile file;
    final MicroInterpreter interpreter;

    private Session(ModelFile file, MicroInterpreter interpreter) {
        this.file = file;
        this.interpreter = interpreter;
    }

    /**
     * Opens {@code file} with an arena of {@code arenaBytes}, or, if {@code null}, the smallest arena TFLM needs on
     * {@code target}.
     */
    static Session open(ModelFile file, Integer arenaBytes, ArenaTarget target) {
        int arena = arenaBytes != null ? arenaBytes : ArenaReport.of(file.model(), target).minimumArenaBytes();
        if (arena < 0) {
            throw new CliException("--arena must be >= 0, got " + arena);
        }
        MicroInterpreter interpreter = new MicroInterpreter(file.bytes(), OpResolver.allBuiltins(), arena, target);
        interpreter.allocateTensors();
        return new Session(file, interpreter);
    }

    private int totalInputElements() {
        int n = 0;
        for (int i = 0; i < interpreter.inputCount(); i++) {
            n += interpreter.input(i).elementCount();
        }
        return n;
    }

    private int totalInputBytes() {
        int n = 0;
        for (int i = 0; i < interpreter.inputCount(); i++) {
            n += interpreter.input(i).byteSize();
        }
        return n;
    }

    /** Parses "0.5, -1, 2e-3" into floats. */
    static float[] parseFloats(String text) {
        String[] parts = text.trim().split("[,\\s]+");
        if (parts.length == 1 && parts[0].isEmpty()) {
            return new float[0];
        }
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new CliException("--input: '" + parts[i] + "' is not a number");
            }
        }
        return values;
    }

    /** Fills the inputs in order with {@code values}, quantizing with each input tensor's parameters. */
    void setFloats(float[] values) {
        int expected = totalInputElements();
        if (values.length != expected) {
            throw new CliException("--input has " + values.length + " values, the model's inputs take " + expected
                    + describeInputs());
        }
        int at = 0;
        for (int i = 0; i < interpreter.inputCount(); i++) {
            MicroTensor t = interpreter.input(i);
            float[] part = Arrays.copyOfRange(values, at, at + t.elementCount());
            at += t.elementCount();
            if (t.type() != TensorType.FLOAT32 && t.type() != TensorType.INT8 && t.type() != TensorType.INT16
                    && t.type() != TensorType.UINT8) {
                throw new CliException(label(i, t) + " is " + t.type() + "; use --input-raw for it");
            }
            if (t.type() != TensorType.FLOAT32 && !t.quantization().isQuantized()) {
                throw new CliException(label(i, t) + " is " + t.type()
                        + " without quantization parameters; use --input-raw for it");
            }
            t.setFloats(part);
        }
    }

    /** Copies raw bytes into the inputs in order. */
    void setRaw(byte[] bytes, String source) {
        int expected = totalInputBytes();
        if (bytes.length != expected) {
            String which = bytes.length < expected ? "too short" : "too long";
            throw new CliException(source + " is " + which + ": it has " + bytes.length + " bytes, the model's "
                    + interpreter.inputCount() + (interpreter.inputCount() == 1 ? " input takes " : " inputs take ")
                    + expected + ", their raw bytes back to back in input order" + describeInputLayout()
                    + (bytes.length < expected ? "; unlike tflm_run, Mote does not zero-fill missing bytes"
                    : "; the file must end after the last input"));
        }
        int at = 0;
        for (int i = 0; i < interpreter.inputCount(); i++) {
            MicroTensor t = interpreter.input(i);
            t.copyFrom(Arrays.copyOfRange(bytes, at, at + t.byteSize()));
            at += t.byteSize();
        }
    }

    /** {@code  (input 0 'a': INT8[1, 3] bytes 0..2, input 1 'b': ...)}. */
    private String describeInputLayout() {
        StringBuilder sb = new StringBuilder(" (");
        int at = 0;
        for (int i = 0; i < interpreter.inputCount(); i++) {
            MicroTensor t = interpreter.input(i);
            sb.append(i == 0 ? "" : ", ").append(label(i, t)).append(": ").append(t.type())
                    .append(Arrays.toString(t.shape())).append(" bytes ").append(at).append("..")
                    .append(at + t.byteSize() - 1);
            at += t.byteSize();
        }
        return sb.append(')').toString();
    }

    private String describeInputs() {
        StringBuilder sb = new StringBuilder(" (");
        for (int i = 0; i < interpreter.inputCount(); i++) {
            MicroTensor t = interpreter.input(i);
            sb.append(i == 0 ? "" : ", ").append(label(i, t)).append(": ").append(t.type())
                    .append(Arrays.toString(t.shape()));
        }
        return sb.append(')').toString();
    }

    /** {@code input 0 'name'}, or {@code input 0} for an unnamed tensor (exports drop names to save flash). */
    private static String label(int i, MicroTensor t) {
        return t.name() == null || t.name().isEmpty() ? "input " + i : "input " + i + " '" + t.name() + "'";
    }
}
