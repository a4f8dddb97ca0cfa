package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random mutations of the Hello World file (bit flips, byte overwrites, truncations, splices): each one
 * either loads, allocates and runs, or fails with one of Mote's typed exceptions. Nothing else may escape.
 */
class ModelMutationTest {

    private static final int MUTANTS = 6000;

    @Test
    void mutantsLoadAndRunOrFailWithTypedExceptions() {
        byte[] original = ReferenceModels.bytes("hello_world_int8.tflite");
        SplittableRandom random = new SplittableRandom(20261125);
        int ran = 0;
        int refused = 0;
        for (int n = 0; n < MUTANTS; n++) {
            byte[] mutant = mutate(original, random);
            try {
                MicroInterpreter interpreter = new MicroInterpreter(mutant, OpResolver.allBuiltins(), 4096);
                interpreter.allocateTensors();
                for (int i = 0; i < interpreter.inputCount(); i++) {
                    MicroTensor in = interpreter.input(i);
                    in.copyFrom(new byte[in.byteSize()]);
                }
                interpreter.invoke();
                ran++;
            } catch (MoteException expected) {
                refused++;
            } catch (Throwable t) {
                fail("mutant " + n + " escaped with " + t + "; first differing bytes: " + diff(original, mutant), t);
            }
        }
        System.out.printf("hello_world_int8 mutants: %d ran, %d refused with typed exceptions%n", ran, refused);
        assertTrue(ran > 0 && refused > 0, "the mutations should produce both kinds");
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] b = original.clone();
        int kind = random.nextInt(4);
        int edits = 1 + random.nextInt(4);
        switch (kind) {
            case 0 -> {
                for (int e = 0; e < edits; e++) {
                    int pos = random.nextInt(b.length);
                    b[pos] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                for (int e = 0; e < edits; e++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            default -> {
                // overwrite a 4-byte word with an interesting value (offsets, lengths, huge dims)
                int[] interesting = {0, -1, 1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 16, b.length, b.length - 4};
                int pos = random.nextInt(b.length - 4) & ~3;
                int v = interesting[random.nextInt(interesting.length)];
                b[pos] = (byte) v;
                b[pos + 1] = (byte) (v >> 8);
                b[pos + 2] = (byte) (v >> 16);
                b[pos + 3] = (byte) (v >> 24);
            }
        }
        return b;
    }

    private static String diff(byte[] a, byte[] b) {
        StringBuilder s = new StringBuilder("length " + b.length + ";");
        for (int i = 0; i < Math.min(a.length, b.length) && s.length() < 200; i++) {
            if (a[i] != b[i]) {
                s.append(' ').append(i).append(':').append(a[i] & 0xFF).append("->").append(b[i] & 0xFF);
            }
        }
        return s.toString();
    }
}
