package dev.mote.cli;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code MicroMutableOpResolver<N>} lines a firmware needs to run a model. */
final class OpResolverCode {
    /** TFLM method names that do not follow the CamelCase rule. */
    private static final Map<BuiltinOperator, String> SPECIAL = Map.of(
            BuiltinOperator.PADV2, "AddPadV2",
            BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, "AddUnidirectionalSequenceLSTM");

    private OpResolverCode() {
    }

    /** {@code FULLY_CONNECTED} → {@code AddFullyConnected}, {@code CONV_2D} → {@code AddConv2D}. */
    static String methodName(BuiltinOperator op) {
        String special = SPECIAL.get(op);
        if (special != null) {
            return special;
        }
        StringBuilder sb = new StringBuilder("Add");
        for (String part : op.name().split("_")) {
            if (part.isEmpty()) {
                continue;
            }
            if (Character.isDigit(part.charAt(0))) {
                sb.append(part.toUpperCase(Locale.ROOT));
            } else {
                sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return sb.toString();
    }

    /** The declaration and one {@code Add...()} line per distinct operator, in first-use order. */
    static List<String> lines(Model model) {
        Set<String> calls = new LinkedHashSet<>();
        for (var sg : model.subgraphs()) {
            for (Operator op : sg.operators()) {
                OperatorCode code = model.operatorCodes().get(op.opcodeIndex());
                if (code.builtin() == BuiltinOperator.CUSTOM) {
                    calls.add("op_resolver.AddCustom(\"" + code.customCode() + "\", /* your registration */);");
                } else if (code.builtin() == null) {
                    calls.add("// unknown builtin operator code " + code.rawCode());
                } else {
                    calls.add("op_resolver." + methodName(code.builtin()) + "();");
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("static tflite::MicroMutableOpResolver<" + calls.size() + "> op_resolver;");
        lines.addAll(calls);
        return lines;
    }
}
