package dev.mote.runtime.format;

import dev.mote.vocabulary.BuiltinOperator;

/**
 * An entry of the model's {@code operator_codes}: the builtin operator (or {@code null} for a custom or unknown
 * code), its raw code, the custom name and the version.
 */
public record OperatorCode(BuiltinOperator builtin, int rawCode, String customCode, int version) {

    public static OperatorCode of(BuiltinOperator op, int version) {
        return new OperatorCode(op, op.code(), null, version);
    }

    /** A readable name: the builtin's name, the custom code, or the unknown raw code. */
    public String displayName() {
        if (builtin == BuiltinOperator.CUSTOM) {
            return "CUSTOM(" + customCode + ")";
        }
        return builtin != null ? builtin.name() : "UNKNOWN_BUILTIN(" + rawCode + ")";
    }
}
