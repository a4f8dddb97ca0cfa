package dev.mote.dsl;

/** The arena estimator of the tests: {@link PlaceholderTflite} export, planned by micro-runtime with all kernels. */
final class PlaceholderArena {
    private PlaceholderArena() {
    }

    static ArenaEstimator estimator() {
        return ArenaEstimator.fromExport(PlaceholderTflite::export);
    }
}
