package dev.mote.runtime.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.format.BuiltinOperator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The table of every builtin kernel Mote implements (one class per op in this package). */
public final class BuiltinKernels {
    private static final Map<BuiltinOperator, Supplier<Kernel>> ALL;

    static {
        Map<BuiltinOperator, Supplier<Kernel>> m = new EnumMap<>(BuiltinOperator.class);
        m.put(BuiltinOperator.FULLY_CONNECTED, FullyConnected::new);
        m.put(BuiltinOperator.RESHAPE, Reshape::new);
        m.put(BuiltinOperator.SQUEEZE, Squeeze::new);
        m.put(BuiltinOperator.EXPAND_DIMS, ExpandDims::new);
        m.put(BuiltinOperator.TRANSPOSE, Transpose::new);
        m.put(BuiltinOperator.STRIDED_SLICE, StridedSlice::new);
        m.put(BuiltinOperator.CONCATENATION, Concatenation::new);
        m.put(BuiltinOperator.PAD, Pad::new);
        m.put(BuiltinOperator.PADV2, Pad::new);
        m.put(BuiltinOperator.MEAN, Mean::new);
        ALL = Collections.unmodifiableMap(m);
    }

    private BuiltinKernels() {
    }

    /** Operator → kernel factory, for every implemented builtin. */
    public static Map<BuiltinOperator, Supplier<Kernel>> all() {
        return ALL;
    }
}
