package dev.mote.runtime.internal.memory;

/**
 * The size and alignment of a C struct laid out by the usual rules (each field at the next multiple of its
 * alignment, the whole padded to the largest alignment), so that Mote can compute {@code sizeof} of TFLM's
 * structs for any {@link Abi} from their field lists instead of hard-coding numbers.
 *
 * <pre>{@code
 * CStruct evalTensor = CStruct.of(abi).pointer().pointer().cEnum().build(); // TfLiteEvalTensor
 * int bytes = evalTensor.size(); // 24 on LP64, 12 on arm-none-eabi
 * }</pre>
 */
public final class CStruct {
    private final int size;
    private final int align;

    private CStruct(int size, int align) {
        this.size = size;
        this.align = align;
    }

    /** A struct of {@code size} bytes and alignment {@code align} (for opaque or externally known layouts). */
    public static CStruct opaque(int size, int align) {
        return new CStruct(size, align);
    }

    /** Starts laying out a struct for {@code abi}. */
    public static Builder of(Abi abi) {
        return new Builder(abi);
    }

    /** {@code sizeof}. */
    public int size() {
        return size;
    }

    /** {@code alignof}. */
    public int align() {
        return align;
    }

    @Override
    public String toString() {
        return "CStruct[size=" + size + ", align=" + align + "]";
    }

    /** Adds fields in declaration order. */
    public static final class Builder {
        private final Abi abi;
        private int offset;
        private int align = 1;

        private Builder(Abi abi) {
            this.abi = abi;
        }

        private Builder field(int fieldSize, int fieldAlign, int count) {
            offset = alignUp(offset, fieldAlign) + fieldSize * count;
            align = Math.max(align, fieldAlign);
            return this;
        }

        public Builder pointer() {
            return field(abi.pointerBytes(), abi.pointerBytes(), 1);
        }

        public Builder pointers(int count) {
            return field(abi.pointerBytes(), abi.pointerBytes(), count);
        }

        /** {@code size_t}, {@code intptr_t}. */
        public Builder sizeT() {
            return pointer();
        }

        public Builder int8() {
            return field(1, 1, 1);
        }

        public Builder bool() {
            return int8();
        }

        public Builder int16() {
            return field(2, 2, 1);
        }

        public Builder int16s(int count) {
            return field(2, 2, count);
        }

        /** {@code int}, {@code int32_t}, {@code uint32_t}. */
        public Builder int32() {
            return field(4, 4, 1);
        }

        public Builder int32s(int count) {
            return field(4, 4, count);
        }

        public Builder float32() {
            return int32();
        }

        public Builder float64() {
            return field(8, 8, 1);
        }

        public Builder int64() {
            return field(8, 8, 1);
        }

        /** A C enum of TFLM ({@code TfLiteType}, {@code TfLitePadding}, {@code TfLiteFusedActivation}, ...). */
        public Builder cEnum() {
            return field(abi.enumBytes(), abi.enumBytes(), 1);
        }

        /** A nested struct. */
        public Builder struct(CStruct s) {
            return field(s.size, s.align, 1);
        }

        public CStruct build() {
            return new CStruct(alignUp(offset, align), align);
        }
    }

    static int alignUp(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
