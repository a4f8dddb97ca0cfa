package dev.mote.dsl;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.OpResolver;

import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Tells a {@link ModelSummary} what the int8 TFLite model of a spec needs on a device: TFLM's arena on a target and,
 * optionally, the size of the {@code .tflite} file. The figures come from the real planner, not a formula: the
 * usual implementation exports the spec with placeholder weights and lets micro-runtime's interpreter plan it.
 *
 * <pre>{@code
 * ArenaEstimator estimator = ArenaEstimator.fromExport(spec -> exporter.placeholderTflite(spec));
 * System.out.println(spec.summary(estimator));
 * }</pre>
 *
 * <p>An implementation with a public no-argument constructor listed in
 * {@code META-INF/services/dev.mote.dsl.ArenaEstimator} is picked up by {@link ModelSpec#summary()} without being
 * passed in (the dsl module cannot depend on the exporter that implements it).
 */
public interface ArenaEstimator {

    /** TFLM's arena for the int8 export of {@code spec} on {@code target}. */
    ArenaReport arena(ModelSpec spec, ArenaTarget target);

    /** The size of the exported {@code .tflite} (flash), if this estimator exports; empty otherwise. */
    default OptionalLong modelBytes(ModelSpec spec) {
        return OptionalLong.empty();
    }

    /**
     * An estimator that exports the spec with {@code export} (any weights: only tensor sizes and the graph matter) and
     * plans the bytes with {@link dev.mote.runtime.MicroInterpreter} and all of Mote's kernels, whose prepare steps
     * request the same scratch buffers as TFLM's.
     */
    static ArenaEstimator fromExport(Function<ModelSpec, byte[]> export) {
        return fromExport(export, OpResolver.allBuiltins());
    }

    /** Like {@link #fromExport(Function)}, preparing the operators with the kernels of {@code resolver}. */
    static ArenaEstimator fromExport(Function<ModelSpec, byte[]> export, OpResolver resolver) {
        return new PlannedArena(export, resolver);
    }
}
