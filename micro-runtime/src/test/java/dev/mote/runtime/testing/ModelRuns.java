package dev.mote.runtime.testing;

import dev.mote.runtime.ArenaTooSmallException;
import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.vocabulary.BuiltinOperator;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs model bytes (built with {@link SingleOpModel}, {@link dev.mote.runtime.format.ModelBuilder} or exported) once
 * in Mote and once in desktop TFLite on the same raw input bytes, and checks Mote's refusals.
 *
 * <pre>{@code
 * byte[] mote = ModelRuns.mote(model, input);
 * byte[] tflite = ModelRuns.tflite(model, input);
 * ModelRuns.assertRefused(badModel, 0, BuiltinOperator.PAD, "paddings");
 * }</pre>
 */
public final class ModelRuns {
    /** Arena for the small test models (their tensors stay far below this). */
    public static final int ARENA_BYTES = 1 << 20;

    private ModelRuns() {
    }

    /** A Mote interpreter with an {@link #ARENA_BYTES} arena and its tensors allocated (prepare runs here). */
    public static MicroInterpreter allocated(byte[] model) {
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), ARENA_BYTES);
        interpreter.allocateTensors();
        return interpreter;
    }

    /** A Mote interpreter whose arena is exactly as large as the model needs, tensors allocated. */
    public static MicroInterpreter allocatedExactly(byte[] model) {
        long needed;
        try {
            MicroInterpreter probe = new MicroInterpreter(model, OpResolver.allBuiltins(), 0);
            probe.allocateTensors();
            return probe;
        } catch (ArenaTooSmallException e) {
            needed = e.neededBytes();
        }
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), (int) needed);
        interpreter.allocateTensors();
        return interpreter;
    }

    /** Runs the model once in Mote on raw input bytes and returns the raw bytes of output 0. */
    public static byte[] mote(byte[] model, byte[]... inputs) {
        MicroInterpreter interpreter = allocated(model);
        for (int i = 0; i < inputs.length; i++) {
            interpreter.input(i).copyFrom(inputs[i]);
        }
        interpreter.invoke();
        return interpreter.output(0).toByteArray();
    }

    /**
     * Compares Mote with desktop TFLite on {@code model}, except for models with a zero-size tensor of rank 2 or more
     * ([3, 0, 5]): desktop TFLite runs those but real TFLM's AllocateTensors refuses them (RefusalsTflmTest), and so
     * must Mote.
     */
    public static void assertMatchesTfliteOrRefusedLikeTflm(byte[] model, String what, byte[]... inputs) {
        dev.mote.runtime.format.Subgraph sg = dev.mote.runtime.format.ModelReader.read(model).mainSubgraph();
        boolean zeroSize = sg.tensors().stream().anyMatch(t -> t.rank() >= 2 && t.elementCount() == 0);
        if (zeroSize) {
            InvalidModelException e = assertThrows(InvalidModelException.class, () -> allocated(model), what);
            assertTrue(e.getMessage().contains("a zero dimension at rank"), () -> what + ": " + e.getMessage());
        } else {
            org.junit.jupiter.api.Assertions.assertArrayEquals(tflite(model, inputs), mote(model, inputs), what);
        }
    }

    /**
     * Asserts that Mote accepts the model (real TFLM runs it too: RefusalsTflmTest) and that operator 0 reports a
     * {@link dev.mote.runtime.ModelWarning} on {@code field}; returns the interpreter's warnings.
     */
    public static java.util.List<dev.mote.runtime.ModelWarning> assertRunsWithWarning(byte[] model, String field) {
        MicroInterpreter interpreter = allocated(model);
        java.util.List<dev.mote.runtime.ModelWarning> warnings = interpreter.warnings();
        assertTrue(warnings.stream().anyMatch(w -> w.field().equals(field)),
                () -> "expected a warning on " + field + ", got " + warnings);
        return warnings;
    }

    /** Runs the model once in desktop TFLite on raw input bytes and returns the raw bytes of output 0. */
    public static byte[] tflite(byte[] model, byte[]... inputs) {
        return TfliteOracle.runOnce(model, inputs);
    }

    /**
     * Asserts that Mote refuses the model at allocation with an {@link InvalidModelException} whose message starts
     * with {@code operator <operatorIndex> (<op>): <field>: }.
     */
    public static InvalidModelException assertRefused(byte[] model, int operatorIndex, BuiltinOperator op,
                                                      String field) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> allocated(model));
        String prefix = "operator " + operatorIndex + " (" + op + "): " + field + ": ";
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected '" + prefix + "...', got: " + e.getMessage());
        return e;
    }

    /** {@link #assertRefused(byte[], int, BuiltinOperator, String)} for operator 0 (a single-op model). */
    public static InvalidModelException assertRefused(byte[] model, BuiltinOperator op, String field) {
        return assertRefused(model, 0, op, field);
    }
}
