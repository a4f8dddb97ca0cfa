package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Concatenation;

/** CONCATENATION, any element type: for each outer index, one {@code memcpy} of each input's chunk. */
public final class ConcatenationEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        Concatenation.Layout l = op.kernel(Concatenation.class).layout();
        long total = 0;
        for (int c : l.chunkBytes()) {
            total += c;
        }
        if (total == 0 || l.outerCount() == 0) {
            return;
        }
        StringBuilder c = new StringBuilder("{\n        long k;\n        for (k = 0; k < " + l.outerCount()
                + "L; ++k) {\n");
        long offset = 0;
        for (int i = 0; i < l.chunkBytes().length; i++) {
            int chunk = l.chunkBytes()[i];
            if (chunk > 0) {
                c.append("            memcpy(").append(op.output(0, "uint8_t")).append(" + k * ").append(total)
                        .append("L + ").append(offset).append(", ").append(op.input(i, "uint8_t")).append(" + k * ")
                        .append(chunk).append("L, ").append(chunk).append(");\n");
            }
            offset += chunk;
        }
        op.statement(c.append("        }\n    }").toString());
    }
}
