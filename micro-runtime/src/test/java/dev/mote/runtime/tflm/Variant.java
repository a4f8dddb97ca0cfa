package dev.mote.runtime.tflm;

import dev.mote.runtime.testing.RandomCases;
import dev.mote.vocabulary.BuiltinOperator;

import java.util.SplittableRandom;

/**
 * One op and tensor-type variant of the differential tests (e.g. {@code CONV_2D int8}) and its case generator.
 * Case {@code i} of a variant is drawn from a generator seeded with {@code seedBase + i}, so every case can be
 * replayed alone.
 */
public record Variant(BuiltinOperator op, String name, long seedBase, CaseSource source) {

    /** The case of {@code seed}. */
    public DeviceCase draw(long seed) {
        return source.draw(seed, new RandomCases(new SplittableRandom(seed)));
    }

    /** The {@code index}-th case (1-based). */
    public DeviceCase caseAt(int index) {
        return draw(seedBase + index);
    }

    @Override
    public String toString() {
        return name;
    }
}
