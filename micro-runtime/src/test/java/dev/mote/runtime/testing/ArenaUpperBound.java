package dev.mote.runtime.testing;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;

/** Test access to the upper-bound estimate alone (every operator estimated), to check it against real TFLM. */
public final class ArenaUpperBound {
    private ArenaUpperBound() {
    }

    /** The report of {@code model} on {@code target} with every operator's footprint the flagged upper bound. */
    public static ArenaReport of(byte[] model, ArenaTarget target) {
        return dev.mote.runtime.ArenaUpperBoundAccess.report(model, target);
    }
}
