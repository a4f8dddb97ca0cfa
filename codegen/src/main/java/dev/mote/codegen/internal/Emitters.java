package dev.mote.codegen.internal;

import dev.mote.codegen.internal.ops.AddEmitter;
import dev.mote.codegen.internal.ops.FullyConnectedEmitter;
import dev.mote.codegen.internal.ops.MulEmitter;
import dev.mote.codegen.internal.ops.SubEmitter;
import dev.mote.codegen.internal.ops.ViewEmitter;
import dev.mote.vocabulary.BuiltinOperator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The table of every operator the C code generator emits (one emitter class per op in {@code internal.ops}). */
public final class Emitters {
    private static final Map<BuiltinOperator, OpEmitter> ALL;

    static {
        Map<BuiltinOperator, OpEmitter> m = new EnumMap<>(BuiltinOperator.class);
        m.put(BuiltinOperator.FULLY_CONNECTED, new FullyConnectedEmitter());
        m.put(BuiltinOperator.RESHAPE, new ViewEmitter());
        m.put(BuiltinOperator.SQUEEZE, new ViewEmitter());
        m.put(BuiltinOperator.EXPAND_DIMS, new ViewEmitter());
        m.put(BuiltinOperator.ADD, new AddEmitter());
        m.put(BuiltinOperator.SUB, new SubEmitter());
        m.put(BuiltinOperator.MUL, new MulEmitter());
        ALL = Collections.unmodifiableMap(m);
    }

    private Emitters() {
    }

    /** The emitter of {@code op}, or null if the generator has none. */
    public static OpEmitter of(BuiltinOperator op) {
        return op == null ? null : ALL.get(op);
    }

    /** The operators the generator emits. */
    public static Set<BuiltinOperator> supported() {
        return ALL.keySet();
    }
}
