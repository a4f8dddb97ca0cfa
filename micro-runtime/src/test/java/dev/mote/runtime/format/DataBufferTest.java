package dev.mote.runtime.format;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model buffer hands out its bytes only as copies or read-only views. */
class DataBufferTest {

    @Test
    void theReadOnlyViewShowsTheWindowAndRefusesWrites() {
        byte[] file = {9, 9, -91, 7, 5, 9};
        DataBuffer buffer = DataBuffer.view(file, 2, 3);
        ByteBuffer view = buffer.asReadOnlyBuffer();
        assertEquals(3, view.remaining());
        assertEquals(-91, view.get(0));
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) -90));
        assertThrows(ReadOnlyBufferException.class, view::array);
        assertEquals(-91, file[2]);
    }

    @Test
    void copiesAreCopiesAndWindowsAreRecognized() {
        byte[] file = {1, 2, 3, 4};
        DataBuffer buffer = DataBuffer.view(file, 1, 2);
        byte[] copy = buffer.toByteArray();
        copy[0] = 42;
        assertArrayEquals(new byte[] {2, 3}, buffer.toByteArray());
        assertTrue(buffer.isWindowOf(file));
        assertEquals(1, buffer.backingOffset());
        assertFalse(buffer.isWindowOf(file.clone()));
        assertFalse(DataBuffer.of(file).isWindowOf(file), "of(...) copies");
    }
}
