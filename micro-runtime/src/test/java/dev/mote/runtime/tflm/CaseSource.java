package dev.mote.runtime.tflm;

import dev.mote.runtime.testing.RandomCases;

/** Draws one random case of a variant from a seeded generator. */
@FunctionalInterface
public interface CaseSource {
    /** The model and inputs for {@code seed}, drawn from {@code random} (which was seeded with it). */
    DeviceCase draw(long seed, RandomCases random);
}
