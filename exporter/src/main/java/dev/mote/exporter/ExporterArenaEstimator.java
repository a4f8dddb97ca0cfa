package dev.mote.exporter;

import dev.mote.dsl.ArenaEstimator;
import dev.mote.dsl.ModelSpec;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;

import java.util.OptionalLong;

/**
 * The arena and flash figures of {@link ModelSpec#summary()}: exports the spec with {@link PlaceholderParameters}
 * and lets micro-runtime's TFLM-exact accounting plan the bytes. Registered as a {@code ServiceLoader} service, so a
 * summary printed anywhere the exporter is on the class path has real figures.
 */
public final class ExporterArenaEstimator implements ArenaEstimator {
    // Exports once per spec (the summary asks for both targets and the size) and plans with micro-runtime.
    private final ArenaEstimator planned = ArenaEstimator.fromExport(
            spec -> TfliteExporter.export(spec, PlaceholderParameters.of(spec)).bytes());

    @Override
    public ArenaReport arena(ModelSpec spec, ArenaTarget target) {
        return planned.arena(spec, target);
    }

    @Override
    public OptionalLong modelBytes(ModelSpec spec) {
        return planned.modelBytes(spec);
    }
}
