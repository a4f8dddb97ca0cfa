package dev.mote.dsl;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;

import java.util.OptionalLong;

/** A service-registered estimator, shaped like the one the exporter module is to register. */
public final class RegisteredPlaceholderArena implements ArenaEstimator {
    private final ArenaEstimator planned = PlaceholderArena.estimator();

    @Override
    public ArenaReport arena(ModelSpec spec, ArenaTarget target) {
        return planned.arena(spec, target);
    }

    @Override
    public OptionalLong modelBytes(ModelSpec spec) {
        return planned.modelBytes(spec);
    }
}
