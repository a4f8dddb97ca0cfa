package dev.mote.exporter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads {@code operator_codes[i].deprecated_builtin_code} and {@code .builtin_code} straight from the FlatBuffer
 * bytes (independently of Mote's reader, which merges the two).
 */
final class RawOperatorCodes {
    private RawOperatorCodes() {
    }

    /** {deprecated_builtin_code, builtin_code} of operator code {@code index}; absent fields read as 0. */
    static int[] codes(byte[] model, int index) {
        ByteBuffer bb = ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN);
        int root = bb.getInt(0);
        int codesVector = field(bb, root, 1);
        int vector = codesVector + bb.getInt(codesVector);
        int element = vector + 4 + 4 * index;
        int table = element + bb.getInt(element);
        int deprecated = fieldOffset(bb, table, 0) == 0 ? 0 : bb.get(table + fieldOffset(bb, table, 0));
        int builtin = fieldOffset(bb, table, 3) == 0 ? 0 : bb.getInt(table + fieldOffset(bb, table, 3));
        return new int[] {deprecated, builtin};
    }

    /** Position of the object an offset field of {@code table} points at. */
    private static int field(ByteBuffer bb, int table, int slot) {
        int at = table + fieldOffset(bb, table, slot);
        return at;
    }

    private static int fieldOffset(ByteBuffer bb, int table, int slot) {
        int vtable = table - bb.getInt(table);
        int vtableSize = bb.getShort(vtable);
        int entry = 4 + 2 * slot;
        return entry < vtableSize ? bb.getShort(vtable + entry) : 0;
    }
}
