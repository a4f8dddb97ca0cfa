package dev.mote.runtime;

/**
 * Something in a model that looks wrong but that TFLM runs, so Mote runs it too (computing what TFLM computes) and
 * reports it: quantization parameters a kernel ignores, a per-channel axis that does not match its tensor's shape,
 * an output declared with a shape other than the one its operator computes, an unused tensor, ... A model that TFLM
 * refuses, or that would compute garbage, is refused instead ({@link InvalidModelException}).
 *
 * <p>Warnings come from two places, collected in one list by {@link MicroInterpreter#warnings()}: the model as read
 * ({@link dev.mote.runtime.format.ModelValidator#warnings}, tensor-level findings) and the kernels' prepare
 * ({@link NodeContext#warn}, operator-level findings).
 *
 * <pre>{@code
 * MicroInterpreter device = new MicroInterpreter(bytes, OpResolver.allBuiltins(), 64 * 1024);
 * device.allocateTensors();
 * for (ModelWarning w : device.warnings()) {
 *     System.err.println("warning: " + w);   // operator 0 (RELU6): output.quantization: ...
 * }
 * }</pre>
 *
 * @param kind     what kind of finding it is
 * @param operator the operator index in the main subgraph's execution order, or -1 if the warning is about a tensor
 * @param tensor   the tensor index in its subgraph, or -1 if the warning is about an operator or the model
 * @param where    who it is about, e.g. {@code subgraph 0 tensor 33 ('conv_bias')} or {@code operator 3 (RELU6)}
 * @param field    the field, e.g. {@code quantization.quantized_dimension}, {@code output.quantization}
 * @param message  what looks wrong and what Mote (like TFLM) does with it
 */
public record ModelWarning(Kind kind, int operator, int tensor, String where, String field, String message) {

    /** The kinds of findings. */
    public enum Kind {
        /** Quantization parameters that do not fit their tensor, or that the kernel reading them ignores. */
        QUANTIZATION,
        /** A declared shape other than the one the operator computes (same byte size, so TFLM runs it). */
        SHAPE,
        /** A constant buffer longer than its tensor's shape needs (the extra bytes are never read). */
        DATA,
        /** A tensor that no operator reads or writes and that is not a subgraph input or output. */
        UNUSED_TENSOR,
        /** An operator code field that TFLM does not look at (e.g. version 0). */
        OPERATOR_CODE,
        /** A builtin option value TFLM's kernel does not apply as its name says (e.g. an LSTM cell-gate activation). */
        OPTION
    }

    public ModelWarning {
        if (kind == null || where == null || field == null || message == null) {
            throw new IllegalArgumentException("kind, where, field and message must not be null");
        }
    }

    /** A warning about tensor {@code tensor} of subgraph {@code subgraph}. */
    public static ModelWarning tensor(Kind kind, int subgraph, int tensor, String name, String field,
                                      String message) {
        return new ModelWarning(kind, -1, tensor, "subgraph " + subgraph + " tensor " + tensor + " ('" + name + "')",
                field, message);
    }

    /** {@code warning: <where>: <field>: <message>}, one line. */
    @Override
    public String toString() {
        return where + ": " + field + ": " + message;
    }
}
