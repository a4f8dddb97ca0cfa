package dev.mote.runtime;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.internal.kernels.BuiltinKernels;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Maps builtin operators to kernels, like TFLM's {@code MicroMutableOpResolver}: register exactly the ops a model
 * needs (what a firmware does to save flash), or take {@link #allBuiltins()}.
 *
 * <pre>{@code
 * OpResolver resolver = OpResolver.builder()
 *         .add(BuiltinOperator.FULLY_CONNECTED)
 *         .build();
 * }</pre>
 *
 * <p>A resolver is immutable and may be shared by interpreters on any threads. Its factories are called once per
 * node by {@link MicroInterpreter#allocateTensors()} and must return a new {@link Kernel} on every call, since a
 * kernel keeps what its node's prepare computed; an interpreter refuses a factory that hands it one kernel twice
 * ({@link KernelFailureException}).
 */
public final class OpResolver {
    private final Map<BuiltinOperator, Supplier<Kernel>> kernels;

    private OpResolver(Map<BuiltinOperator, Supplier<Kernel>> kernels) {
        this.kernels = Collections.unmodifiableMap(new EnumMap<>(kernels));
    }

    /** Every builtin operator Mote implements. */
    public static OpResolver allBuiltins() {
        return new OpResolver(BuiltinKernels.all());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registered operators. */
    public Set<BuiltinOperator> registered() {
        return kernels.keySet();
    }

    /** A new kernel for {@code op}, or {@code null} if it is not registered. */
    Kernel create(BuiltinOperator op) {
        Supplier<Kernel> factory = op == null ? null : kernels.get(op);
        return factory == null ? null : factory.get();
    }

    /** Builds an {@link OpResolver}. */
    public static final class Builder {
        private final Map<BuiltinOperator, Supplier<Kernel>> kernels = new EnumMap<>(BuiltinOperator.class);

        /** Registers Mote's kernel for {@code op}; fails if Mote has none. */
        public Builder add(BuiltinOperator op) {
            Supplier<Kernel> factory = BuiltinKernels.all().get(op);
            if (factory == null) {
                throw new UnsupportedOpException("Mote has no kernel for " + op + "; implemented: "
                        + BuiltinKernels.all().keySet());
            }
            kernels.put(op, factory);
            return this;
        }

        /**
         * Registers a custom implementation for {@code op} (replacing any earlier one). {@code factory} must return
         * a new kernel on every call ({@code MyKernel::new}, not {@code () -> shared}), and may be called from any
         * thread that allocates an interpreter.
         */
        public Builder add(BuiltinOperator op, Supplier<Kernel> factory) {
            kernels.put(op, factory);
            return this;
        }

        public OpResolver build() {
            return new OpResolver(kernels);
        }
    }
}
