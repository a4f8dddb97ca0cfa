package dev.mote.cli;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code MicroMutableOpResolver<N>} lines a firmware needs to run a model. */
final class OpResolverCode {
    private OpResolverCode() {
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
                    calls.add("op_resolver." + code.builtin().resolverMethod() + "();");
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("static tflite::MicroMutableOpResolver<" + calls.size() + "> op_resolver;");
        lines.addAll(calls);
        return lines;
    }
}
