package dev.mote.dsl;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.ArenaTooSmallException;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.MoteException;
import dev.mote.runtime.OpResolver;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Arena figures from micro-runtime's planner: the exported bytes are allocated once with an empty arena, which
 * fails with the exact size needed, then with that size, whose {@link ArenaReport} is returned.
 */
final class PlannedArena implements ArenaEstimator {
    private final Function<ModelSpec, byte[]> export;
    private final OpResolver resolver;
    private ModelSpec lastSpec;
    private byte[] lastBytes;

    PlannedArena(Function<ModelSpec, byte[]> export, OpResolver resolver) {
        this.export = Objects.requireNonNull(export, "export");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public ArenaReport arena(ModelSpec spec, ArenaTarget target) {
        byte[] bytes = bytes(spec);
        long needed;
        try {
            MicroInterpreter probe = new MicroInterpreter(bytes, resolver, 0, target);
            probe.allocateTensors();
            return probe.arenaReport();
        } catch (ArenaTooSmallException e) {
            needed = e.neededBytes();
        }
        if (needed > Integer.MAX_VALUE) {
            throw new MoteException("model '" + spec.name() + "' needs an arena of " + needed + " bytes on " + target
                    + ", more than a Java array holds");
        }
        MicroInterpreter interpreter = new MicroInterpreter(bytes, resolver, (int) needed, target);
        interpreter.allocateTensors();
        return interpreter.arenaReport();
    }

    @Override
    public OptionalLong modelBytes(ModelSpec spec) {
        return OptionalLong.of(bytes(spec).length);
    }

    private synchronized byte[] bytes(ModelSpec spec) {
        if (spec != lastSpec) {
            lastBytes = export.apply(spec);
            lastSpec = spec;
        }
        return lastBytes;
    }
}
