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
        m.put(BuiltinOperator.CONV_2D, Conv2D::new);
        m.put(BuiltinOperator.DEPTHWISE_CONV_2D, DepthwiseConv2D::new);
        m.put(BuiltinOperator.MAX_POOL_2D, MaxPool2D::new);
        m.put(BuiltinOperator.AVERAGE_POOL_2D, AveragePool2D::new);
        ALL = Collections.unmodifiableMap(m);
    }

    private BuiltinKernels() {
    }

    /** Operator → kernel factory, for every implemented builtin. */
    public static Map<BuiltinOperator, Supplier<Kernel>> all() {
        return ALL;
    }
}
