package dev.mote.codegen;

import dev.mote.codegen.internal.ProgramBuilder;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.ArenaTooSmallException;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.OpResolver;

import java.util.List;
import java.util.Objects;

/**
 * Turns TFLite bytes into standalone C99: {@code NAME.h} and {@code NAME.c} with
 * {@code int NAME_invoke(const void *input, void *output)}, the weights as {@code static const} arrays (flash) and
 * every activation in one static arena of {@code NAME_ARENA_BYTES}. No TFLM, no allocation, no floating point
 * where TFLM's reference kernels use none; the result is, bit for bit, what TFLM computes.
 *
 * <pre>{@code
 * GeneratedC c = CCodeGenerator.forModel(Files.readAllBytes(Path.of("hello_world.tflite")))
 *         .name("hello_world")
 *         .generate();
 * c.writeTo(Path.of("firmware/src"));        // hello_world.h, hello_world.c
 * System.out.println(c.arenaBytes() + " bytes of RAM for activations");
 * }</pre>
 *
 * <p>The model is read and prepared by micro-runtime's interpreter first, so the generator accepts exactly the
 * models micro-runtime accepts (and passes on its {@linkplain GeneratedC#warnings() warnings}); each operator's
 * requantization constants come from the prepared kernel, the one place they are computed.
 */
public final class CCodeGenerator {
    private final byte[] model;
    private String name = "model";

    private CCodeGenerator(byte[] model) {
        this.model = model.clone();
    }

    /** A generator for a {@code .tflite} model's bytes. */
    public static CCodeGenerator forModel(byte[] tflite) {
        Objects.requireNonNull(tflite, "tflite");
        return new CCodeGenerator(tflite);
    }

    /**
     * The C name of the model (default {@code model}): the files are {@code NAME.h} and {@code NAME.c}, the function
     * {@code NAME_invoke}, the macros {@code NAME_INPUT_BYTES} etc. in upper case.
     *
     * @throws CodegenException if {@code name} is not a C identifier or is a C keyword
     */
    public CCodeGenerator name(String name) {
        if (!CIdentifier.isValid(name)) {
            throw new CodegenException("'" + name + "' is not a C identifier the generated code can use as its name: "
                    + "use " + CIdentifier.RULE);
        }
        this.name = name;
        return this;
    }

    /**
     * Generates the C.
     *
     * @throws dev.mote.runtime.InvalidModelException if micro-runtime refuses the model (malformed bytes, a node
     *                                               TFLM refuses)
     * @throws dev.mote.runtime.UnsupportedOpException if an operator has no micro-runtime kernel
     * @throws UnsupportedByCodegenException if an operator, or its configuration, has no C emitter
     */
    public GeneratedC generate() {
        MicroInterpreter interpreter = prepared();
        List<ModelWarning> warnings = interpreter.warnings();
        ProgramBuilder.Program program = new ProgramBuilder(name, interpreter).build();
        return new GeneratedC(name, program.header(), program.source(), program.arenaBytes(), program.inputBytes(),
                program.outputBytes(), warnings);
    }

    private MicroInterpreter prepared() {
        ArenaTarget target = ArenaTarget.HOST_64;
        long arena = ArenaReport.of(model, target).minimumArenaBytes() + 64L;
        for (int attempt = 0; ; attempt++) {
            MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(),
                    (int) Math.min(Integer.MAX_VALUE, arena), MicroInterpreter.Options.defaults().withTarget(target));
            try {
                interpreter.allocateTensors();
                return interpreter;
            } catch (ArenaTooSmallException e) {
                if (attempt > 0 || e.neededBytes() > Integer.MAX_VALUE) {
                    throw new CodegenException("the model needs " + e.neededBytes() + " arena bytes to be prepared, "
                            + "more than a Java array can hold; such a model does not fit a microcontroller", e);
                }
                arena = e.neededBytes();
            }
        }
    }
}
