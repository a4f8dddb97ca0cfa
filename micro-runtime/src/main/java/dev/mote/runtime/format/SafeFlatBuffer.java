package dev.mote.runtime.format;

import dev.mote.runtime.InvalidModelException;

import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked access to a FlatBuffer's tables, vectors and strings. flatbuffers-java's generated accessors
 * trust the bytes; a model from an untrusted source needs every offset checked before it is followed. Every
 * failure is an {@link InvalidModelException} naming the byte position and the field being read.
 *
 * <p>A decode budget (elements materialised in total) bounds the work a small hostile file can cause through
 * shared sub-tables.
 */
final class SafeFlatBuffer {
    private final byte[] bytes;
    private long budget;

    SafeFlatBuffer(byte[] bytes, long elementBudget) {
        this.bytes = bytes;
        this.budget = elementBudget;
    }

    int length() {
        return bytes.length;
    }

    byte[] bytes() {
        return bytes;
    }

    private InvalidModelException bad(String what, long pos, String problem) {
        return new InvalidModelException("malformed model: " + what + " at byte " + pos + ": " + problem
                + " (file is " + bytes.length + " bytes)");
    }

    private void need(long pos, long size, String what) {
        if (pos < 0 || size < 0 || pos + size > bytes.length) {
            throw bad(what, pos, "needs " + size + " bytes beyond the end of the file");
        }
    }

    private void spend(long elements, String what, long pos) {
        budget -= elements;
        if (budget < 0) {
            throw bad(what, pos, "the file declares more elements than its size allows");
        }
    }

    int u8(long pos, String what) {
        need(pos, 1, what);
        return bytes[(int) pos] & 0xFF;
    }

    int u16(long pos, String what) {
        need(pos, 2, what);
        int p = (int) pos;
        return (bytes[p] & 0xFF) | (bytes[p + 1] & 0xFF) << 8;
    }

    int i32(long pos, String what) {
        need(pos, 4, what);
        int p = (int) pos;
        return (bytes[p] & 0xFF) | (bytes[p + 1] & 0xFF) << 8 | (bytes[p + 2] & 0xFF) << 16 | (bytes[p + 3] & 0xFF) << 24;
    }

    long u32(long pos, String what) {
        return i32(pos, what) & 0xFFFFFFFFL;
    }

    long i64(long pos, String what) {
        need(pos, 8, what);
        return u32(pos, what) | (long) i32(pos + 4, what) << 32;
    }

    float f32(long pos, String what) {
        return Float.intBitsToFloat(i32(pos, what));
    }

    /** Follows a uoffset stored at {@code pos}. */
    long deref(long pos, String what) {
        long target = pos + u32(pos, what);
        if (target >= bytes.length) {
            throw bad(what, pos, "offset points past the end of the file");
        }
        return target;
    }

    /** The root table's position. */
    Table root() {
        return table(deref(0, "root table offset"), "Model");
    }

    Table table(long pos, String what) {
        need(pos, 4, what);
        long vtable = pos - i32(pos, what + " vtable offset");
        int vtableSize = u16(vtable, what + " vtable size");
        int inlineSize = u16(vtable + 2, what + " table size");
        if (vtableSize < 4 || (vtableSize & 1) != 0) {
            throw bad(what, vtable, "vtable size " + vtableSize + " is invalid");
        }
        need(vtable, vtableSize, what + " vtable");
        need(pos, Math.max(4, inlineSize), what + " table");
        spend(1, what, pos);
        return new Table(pos, vtable, vtableSize, inlineSize, what);
    }

    /** A table: resolves field slots through its vtable, checking every position. */
    final class Table {
        final long pos;
        private final long vtable;
        private final int vtableSize;
        private final int inlineSize;
        private final String what;

        private Table(long pos, long vtable, int vtableSize, int inlineSize, String what) {
            this.pos = pos;
            this.vtable = vtable;
            this.vtableSize = vtableSize;
            this.inlineSize = inlineSize;
            this.what = what;
        }

        /** Absolute position of the field, or -1 if absent. */
        private long field(int slot, int size, String name) {
            int entry = 4 + 2 * slot;
            if (entry + 2 > vtableSize) {
                return -1;
            }
            int off = u16(vtable + entry, what + "." + name);
            if (off == 0) {
                return -1;
            }
            if (off + size > inlineSize) {
                throw bad(what + "." + name, pos + off, "field lies outside its table");
            }
            return pos + off;
        }

        boolean has(int slot) {
            return field(slot, 0, "slot" + slot) >= 0;
        }

        int u8(int slot, String name, int dflt) {
            long p = field(slot, 1, name);
            return p < 0 ? dflt : SafeFlatBuffer.this.u8(p, what + "." + name);
        }

        byte i8(int slot, String name, byte dflt) {
            return (byte) u8(slot, name, dflt & 0xFF);
        }

        boolean bool(int slot, String name, boolean dflt) {
            return u8(slot, name, dflt ? 1 : 0) != 0;
        }

        int i32(int slot, String name, int dflt) {
            long p = field(slot, 4, name);
            return p < 0 ? dflt : SafeFlatBuffer.this.i32(p, what + "." + name);
        }

        long u32(int slot, String name, long dflt) {
            long p = field(slot, 4, name);
            return p < 0 ? dflt : SafeFlatBuffer.this.u32(p, what + "." + name);
        }

        long i64(int slot, String name, long dflt) {
            long p = field(slot, 8, name);
            return p < 0 ? dflt : SafeFlatBuffer.this.i64(p, what + "." + name);
        }

        float f32(int slot, String name, float dflt) {
            long p = field(slot, 4, name);
            return p < 0 ? dflt : SafeFlatBuffer.this.f32(p, what + "." + name);
        }

        /** The sub-table in this slot, or {@code null} if absent. */
        Table table(int slot, String name) {
            long p = field(slot, 4, name);
            return p < 0 ? null : SafeFlatBuffer.this.table(deref(p, what + "." + name), what + "." + name);
        }

        /** The vector in this slot, or {@code null} if absent. */
        Vector vector(int slot, String name, int elementSize) {
            long p = field(slot, 4, name);
            if (p < 0) {
                return null;
            }
            long start = deref(p, what + "." + name);
            long count = SafeFlatBuffer.this.u32(start, what + "." + name + " length");
            need(start + 4, count * elementSize, what + "." + name + " (" + count + " elements)");
            spend(count, what + "." + name, start);
            return new Vector(start + 4, (int) count, elementSize, what + "." + name);
        }

        String string(int slot, String name) {
            Vector v = vector(slot, name, 1);
            return v == null ? null : new String(bytes, (int) v.start, v.count, StandardCharsets.UTF_8);
        }
    }

    /** A vector: {@code count} elements of {@code elementSize} bytes from {@code start}, all inside the file. */
    final class Vector {
        final long start;
        final int count;
        private final int elementSize;
        private final String what;

        private Vector(long start, int count, int elementSize, String what) {
            this.start = start;
            this.count = count;
            this.elementSize = elementSize;
            this.what = what;
        }

        int[] ints() {
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = i32(start + 4L * i, what);
            }
            return out;
        }

        long[] longs() {
            long[] out = new long[count];
            for (int i = 0; i < count; i++) {
                out[i] = i64(start + 8L * i, what);
            }
            return out;
        }

        float[] floats() {
            float[] out = new float[count];
            for (int i = 0; i < count; i++) {
                out[i] = f32(start + 4L * i, what);
            }
            return out;
        }

        boolean[] bools() {
            boolean[] out = new boolean[count];
            for (int i = 0; i < count; i++) {
                out[i] = u8(start + i, what) != 0;
            }
            return out;
        }

        Table table(int i) {
            long p = start + (long) elementSize * i;
            return SafeFlatBuffer.this.table(deref(p, what + "[" + i + "]"), what + "[" + i + "]");
        }
    }
}
