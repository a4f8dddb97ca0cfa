package dev.mote.cli;

import dev.mote.runtime.ModelWarning;

import java.io.PrintWriter;
import java.util.List;

/** How the commands show a model's {@link ModelWarning}s: {@code warning: ...} lines, or a JSON array. */
final class Warnings {
    private Warnings() {
    }

    /** One {@code warning: <where>: <field>: <message>} line per warning. */
    static void print(List<ModelWarning> warnings, PrintWriter err) {
        for (ModelWarning w : warnings) {
            err.println("warning: " + w);
        }
        err.flush();
    }

    /** Writes the warnings as an array of {@code {kind, operator, tensor, where, field, message}} objects. */
    static Json json(Json j, List<ModelWarning> warnings) {
        j.beginArray();
        for (ModelWarning w : warnings) {
            j.beginObject().name("kind").value(w.kind().name()).name("operator").value(w.operator())
                    .name("tensor").value(w.tensor()).name("where").value(w.where()).name("field").value(w.field())
                    .name("message").value(w.message()).endObject();
        }
        return j.endArray();
    }
}
