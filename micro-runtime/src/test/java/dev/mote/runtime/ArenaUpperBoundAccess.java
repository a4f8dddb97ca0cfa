package dev.mote.runtime;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;

/** Package access for {@link dev.mote.runtime.testing.ArenaUpperBound}. */
public final class ArenaUpperBoundAccess {
    private ArenaUpperBoundAccess() {
    }

    public static ArenaReport report(byte[] bytes, ArenaTarget target) {
        Model model = ModelReader.read(bytes);
        return TflmArenaAccounting.report(model, target, ModelFootprints.upperBounds(model));
    }
}
