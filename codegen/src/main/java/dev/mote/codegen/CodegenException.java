package dev.mote.codegen;

import dev.mote.vocabulary.MoteException;

/**
 * C code generation failed: a name that is not a C identifier, a model the micro interpreter refuses, a file that
 * cannot be written. The message names the model part or path and says what to do.
 *
 * <pre>{@code
 * try {
 *     CCodeGenerator.forModel(bytes).name("my model").generate();
 * } catch (CodegenException e) {
 *     System.err.println(e.getMessage()); // 'my model' is not a C identifier ...
 * }
 * }</pre>
 */
public class CodegenException extends MoteException {
    public CodegenException(String message) {
        super(message);
    }

    public CodegenException(String message, Throwable cause) {
        super(message, cause);
    }
}
