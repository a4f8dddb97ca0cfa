package dev.mote.runtime.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.util.SplittableRandom;

/**
 * Where the fuzzers' decisions come from: Jazzer's {@link FuzzedDataProvider} (coverage-guided: libFuzzer mutates
 * the decisions) or a seeded {@link SplittableRandom} (the coverage-free, deterministic fuzzer of the normal suite).
 * The mutator and the harness only ask this interface, so both fuzzers explore the same space.
 */
public interface Choices {

    /** A value in {@code [0, bound)}; {@code bound >= 1}. */
    int below(int bound);

    /** Any int. */
    int anyInt();

    boolean bool();

    /** Up to {@code max} bytes. */
    byte[] bytes(int max);

    /** One of {@code values}. */
    default int oneOf(int... values) {
        return values[below(values.length)];
    }

    static Choices of(FuzzedDataProvider data) {
        return new Choices() {
            @Override
            public int below(int bound) {
                return bound <= 1 ? 0 : data.consumeInt(0, bound - 1);
            }

            @Override
            public int anyInt() {
                return data.consumeInt();
            }

            @Override
            public boolean bool() {
                return data.consumeBoolean();
            }

            @Override
            public byte[] bytes(int max) {
                return data.consumeBytes(max);
            }
        };
    }

    static Choices of(SplittableRandom random) {
        return new Choices() {
            @Override
            public int below(int bound) {
                return bound <= 1 ? 0 : random.nextInt(bound);
            }

            @Override
            public int anyInt() {
                return random.nextInt();
            }

            @Override
            public boolean bool() {
                return random.nextBoolean();
            }

            @Override
            public byte[] bytes(int max) {
                byte[] b = new byte[max <= 0 ? 0 : random.nextInt(max + 1)];
                random.nextBytes(b);
                return b;
            }
        };
    }

    /** Decisions read from a fixed byte array (the raw-bytes fuzzer's settings); zeros once exhausted. */
    static Choices of(byte[] bytes) {
        return of(new SplittableRandom(java.util.Arrays.hashCode(bytes)));
    }
}
