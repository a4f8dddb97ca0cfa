package dev.mote.cli;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.OpResolver;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** An allocated interpreter for a model file, with helpers to fill inputs the way the CLI accepts them. */
final class Session {
    /** A decimal number as {@code --input} takes it: {@code 1}, {@code -0.5}, {@code .5}, {@code 2e-3}. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

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
        checkArena(arenaBytes);
        int arena = arenaBytes != null ? arenaBytes : ArenaReport.of(file.model(), target).minimumArenaBytes();
        MicroInterpreter interpreter = new MicroInterpreter(file.bytes(), OpResolver.allBuiltins(), arena, target);
        interpreter.allocateTensors();
        return new Session(file, interpreter);
    }

    /**
     * Refuses an {@code --arena} that is no size (zero or negative); commands call it before reading the model.
     *
     * @throws UsageException naming the option and what it allows
     */
    static void checkArena(Integer arenaBytes) {
        if (arenaBytes != null) {
            UsageException.requireAtLeast("--arena", arenaBytes, 1, "a size in bytes");
        }
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

    /** How many values {@link #summary} shows before it only counts the rest. */
    static final int SHOWN_VALUES = 8;

    /** The values of "0.5, -1, 2e-3" as written (commas and/or spaces between them). */
    static String[] tokens(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("[,\\s]+");
    }

    /** {@code 0.5, 1, 2} or, for more than {@link #SHOWN_VALUES} values, the first ones and {@code ... (N values)}. */
    static String summary(String text) {
        String[] values = tokens(text);
        if (values.length <= SHOWN_VALUES) {
            return String.join(", ", values);
        }
        return String.join(", ", Arrays.copyOf(values, SHOWN_VALUES)) + ", ... (" + values.length + " values)";
    }

    /**
     * The value of {@code token}: a decimal number ({@code 1}, {@code -0.5}, {@code 2e-3}), or {@code nan},
     * {@code inf}, {@code infinity} with an optional sign (refused per element by {@link #setFloats} with the
     * input's name).
     *
     * @throws UsageException if it is not a number
     */
    private static double parse(String token) {
        String t = token.toLowerCase(Locale.ROOT);
        String unsigned = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!DECIMAL.matcher(token).matches()) {
            throw new UsageException("--input: '" + token + "' is not a number; give decimal numbers such as "
                    + "0.5, -1 or 2e-3, separated by commas");
        }
        return Double.parseDouble(token);
    }

    /**
     * Fills the inputs in order with the values of {@code text}: into a FLOAT32 input as they are, into a quantized
     * INT8, UINT8 or INT16 input quantized with its scale and zero point, into an unquantized integer input (INT8,
     * UINT8, INT16, INT32) as whole numbers.
     *
     * @throws UsageException if the count differs from the inputs' elements, or a value is not a number, is NaN or
     *                        infinite, or is outside what its input tensor can represent (quantized: from
     *                        {@code (qmin - zero point) * scale} to {@code (qmax - zero point) * scale}, half a step of
     *                        rounding allowed; an unquantized integer type: its range)
     * @throws CliException   if an input has a type {@code --input} cannot fill (use {@code --input-raw})
     */
    void setFloats(String text) {
        String[] tokens = tokens(text);
        int expected = totalInputElements();
        if (tokens.length != expected) {
            throw new UsageException("--input has " + tokens.length + " values, the model's inputs take " + expected
                    + describeInputs());
        }
        double[] values = new double[tokens.length];
        for (int k = 0; k < tokens.length; k++) {
            values[k] = parse(tokens[k]);
        }
        int at = 0;
        for (int i = 0; i < interpreter.inputCount(); i++) {
            MicroTensor t = interpreter.input(i);
            InputRange range = InputRange.of(t, label(i, t));
            for (int e = 0; e < t.elementCount(); e++) {
                range.check(e, tokens[at + e], values[at + e]);
            }
            if (range.quantized() || t.type() == TensorType.FLOAT32) {
                float[] part = new float[t.elementCount()];
                for (int e = 0; e < part.length; e++) {
                    part[e] = (float) values[at + e];
                }
                t.setFloats(part);
            } else {
                for (int e = 0; e < t.elementCount(); e++) {
                    int v = (int) values[at + e];
                    switch (t.type()) {
                        case INT8, UINT8 -> t.setInt8(e, v);
                        case INT16 -> t.setInt16(e, v);
                        default -> t.setInt32(e, v);
                    }
                }
            }
            at += t.elementCount();
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
    static String label(int i, MicroTensor t) {
        return t.name() == null || t.name().isEmpty() ? "input " + i : "input " + i + " '" + t.name() + "'";
    }
}
