package dev.mote.dsl;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.vocabulary.MoteException;
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
        // TFLM's smallest arena with the resolver's kernels (their prepare recorded without an arena).
        long needed = ArenaReport.of(bytes, resolver, target).minimumArenaBytes();
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
