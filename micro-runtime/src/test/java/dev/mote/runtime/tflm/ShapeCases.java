package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data-movement and reduction ops: RESHAPE (options or shape tensor, -1), SQUEEZE (listed or all unit
 * dimensions, negative indices), EXPAND_DIMS (every axis, negative), TRANSPOSE (rank 1 to 5), STRIDED_SLICE (begin,
 * end and shrink masks, negative indices and strides), CONCATENATION (1 to 4 inputs, every axis), PAD and PADV2
 * (rank 1 to 4) and MEAN (one or two axes, keep_dims, int8 requantization). Element types: int8 and float32, and
 * int16 where Mote implements it.
 */
final class ShapeCases {
    private ShapeCases() {
    }

    static List<Variant> variants() {
        return List.of(
                new Variant(BuiltinOperator.RESHAPE, "RESHAPE", 4_000_000, ShapeCases::reshape),
                new Variant(BuiltinOperator.RESHAPE, "RESHAPE int16", 4_050_000, (s, r) -> reshape(s, r, true)),
                new Variant(BuiltinOperator.SQUEEZE, "SQUEEZE", 4_100_000, ShapeCases::squeeze),
                new Variant(BuiltinOperator.EXPAND_DIMS, "EXPAND_DIMS", 4_200_000, ShapeCases::expandDims),
                new Variant(BuiltinOperator.TRANSPOSE, "TRANSPOSE", 4_300_000, ShapeCases::transpose),
                new Variant(BuiltinOperator.STRIDED_SLICE, "STRIDED_SLICE", 4_400_000, ShapeCases::stridedSlice),
                new Variant(BuiltinOperator.CONCATENATION, "CONCATENATION", 4_500_000, ShapeCases::concatenation),
                new Variant(BuiltinOperator.PAD, "PAD", 4_600_000, (s, r) -> pad(s, r, false)),
                new Variant(BuiltinOperator.PADV2, "PADV2", 4_700_000, (s, r) -> pad(s, r, true)),
                new Variant(BuiltinOperator.MEAN, "MEAN int8", 4_800_000, (s, r) -> mean(s, r, false)),
                new Variant(BuiltinOperator.MEAN, "MEAN float32", 4_900_000, (s, r) -> mean(s, r, true)));
    }

    /** An element type with its (per-tensor) quantization. */
    record Element(TensorType type, Quantization quantization) {
        static Element draw(RandomCases r, boolean int16) {
            int k = r.nextInt(int16 ? 3 : 2);
            return switch (k) {
                case 0 -> new Element(TensorType.INT8, Draw.perTensor(r, 0.01, 0.5));
                case 1 -> new Element(TensorType.FLOAT32, Quantization.NONE);
                default -> new Element(TensorType.INT16, Quantization.perTensor(r.scale(0.0001, 0.01), 0));
            };
        }

        byte[] data(RandomCases r, int count) {
            return r.data(type, count);
        }

        @Override
        public String toString() {
            return type + (quantization.isQuantized() ? " " + quantization : "");
        }
    }

    private static DeviceCase single(long seed, String variant, String what, SingleOpModel m, Element e,
                                     RandomCases r, int[] inShape) {
        return new DeviceCase(variant, seed, what + ", " + e, m.bytes(), List.of(e.data(r, Draw.count(inShape))));
    }

    static DeviceCase reshape(long seed, RandomCases r) {
        return reshape(seed, r, false);
    }

    /** A RESHAPE case; {@code int16}: of an int16 tensor (symmetric), else of a drawn int8 or float32 one. */
    static DeviceCase reshape(long seed, RandomCases r, boolean int16) {
        int[] in = r.dims(r.between(1, 4), 1, 6);
        int n = Draw.count(in);
        List<Integer> factors = new ArrayList<>();
        int rest = n;
        int rank = r.between(1, 4);
        for (int i = 0; i < rank - 1; i++) {
            List<Integer> divisors = new ArrayList<>();
            for (int d = 1; d <= rest; d++) {
                if (rest % d == 0) {
                    divisors.add(d);
                }
            }
            int d = divisors.get(r.nextInt(divisors.size()));
            factors.add(d);
            rest /= d;
        }
        factors.add(rest);
        int[] out = factors.stream().mapToInt(Integer::intValue).toArray();
        int[] requested = out.clone();
        if (r.nextBoolean()) {
            requested[r.nextInt(requested.length)] = -1;
        }
        Element e = int16 ? new Element(TensorType.INT16, Int16Cases.symmetric(r, 1.0 / (1 << 15), 0.01))
                : Element.draw(r, false);
        boolean shapeTensor = r.nextBoolean();
        SingleOpModel m = new SingleOpModel(BuiltinOperator.RESHAPE, 1,
                shapeTensor ? new BuiltinOptions.Empty(0) : new BuiltinOptions.Reshape(requested))
                .input(e.type(), in, e.quantization());
        if (shapeTensor) {
            m.int32Vector(requested);
        }
        m.output(e.type(), out, e.quantization());
        return single(seed, int16 ? "RESHAPE int16" : "RESHAPE", Draw.shape(in) + " -> " + Arrays.toString(requested)
                + (shapeTensor ? " (shape tensor)" : " (new_shape)"), m, e, r, in);
    }

    static DeviceCase squeeze(long seed, RandomCases r) {
        int rank = r.between(1, 6);
        int[] in = new int[rank];
        for (int i = 0; i < rank; i++) {
            in[i] = r.nextInt(2) == 0 ? 1 : r.between(2, 4);
        }
        List<Integer> dims = new ArrayList<>();
        boolean listed = r.nextBoolean();
        boolean[] squeezed = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            if (in[i] == 1 && (!listed || r.nextBoolean())) {
                squeezed[i] = true;
                if (listed) {
                    dims.add(r.nextBoolean() ? i : i - rank);
                }
            }
        }
        if (listed && dims.isEmpty()) { // an empty list squeezes every unit dimension
            for (int i = 0; i < rank; i++) {
                squeezed[i] = in[i] == 1;
            }
        }
        int[] out = java.util.stream.IntStream.range(0, rank).filter(i -> !squeezed[i]).map(i -> in[i]).toArray();
        int[] list = dims.stream().mapToInt(Integer::intValue).toArray();
        Element e = Element.draw(r, false);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.SQUEEZE, 1, new BuiltinOptions.Squeeze(list))
                .input(e.type(), in, e.quantization()).output(e.type(), out, e.quantization());
        return single(seed, "SQUEEZE", Draw.shape(in) + " squeeze_dims " + Arrays.toString(list), m, e, r, in);
    }

    static DeviceCase expandDims(long seed, RandomCases r) {
        int[] in = r.dims(r.between(0, 4), 1, 5);
        int axis = r.between(-(in.length + 1), in.length);
        int at = axis < 0 ? axis + in.length + 1 : axis;
        int[] out = new int[in.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == at ? 1 : in[j++];
        }
        Element e = Element.draw(r, true);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.EXPAND_DIMS, 1,
                new BuiltinOptions.Empty(BuiltinOptions.Types.EXPAND_DIMS)).input(e.type(), in, e.quantization());
        if (r.nextBoolean()) {
            m.int32Vector(axis);
        } else {
            m.int32Constant(new int[0], new int[] {axis}, Quantization.NONE);
        }
        m.output(e.type(), out, e.quantization());
        return single(seed, "EXPAND_DIMS", Draw.shape(in) + " axis " + axis, m, e, r, in);
    }

    static DeviceCase transpose(long seed, RandomCases r) {
        int rank = r.between(1, 5);
        int[] in = r.dims(rank, 1, rank > 3 ? 4 : 7);
        int[] perm = r.permutation(rank);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = in[perm[i]];
        }
        Element e = Element.draw(r, true);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.TRANSPOSE, 1,
                new BuiltinOptions.Empty(BuiltinOptions.Types.TRANSPOSE)).input(e.type(), in, e.quantization())
                .int32Vector(perm).output(e.type(), out, e.quantization());
        return single(seed, "TRANSPOSE", Draw.shape(in) + " perm " + Arrays.toString(perm), m, e, r, in);
    }

    /** A slice with at least one element in every kept axis (zero-size tensors: see RefusalsTflmTest). */
    static DeviceCase stridedSlice(long seed, RandomCases r) {
        while (true) {
            DeviceCase c = stridedSliceOrNull(seed, r);
            if (c != null) {
                return c;
            }
        }
    }

    private static DeviceCase stridedSliceOrNull(long seed, RandomCases r) {
        int rank = r.between(1, 4);
        int[] in = r.dims(rank, 1, 7);
        int[] begin = new int[rank];
        int[] end = new int[rank];
        int[] strides = new int[rank];
        int beginMask = 0;
        int endMask = 0;
        int shrinkMask = 0;
        List<Integer> out = new ArrayList<>();
        for (int a = 0; a < rank; a++) {
            int dim = in[a];
            if (r.nextInt(6) == 0) { // shrink: one index, stride 1
                begin[a] = r.between(-dim, dim - 1);
                end[a] = begin[a] + 1;
                strides[a] = 1;
                shrinkMask |= 1 << a;
                continue;
            }
            begin[a] = r.between(-dim - 1, dim + 1);
            end[a] = r.between(-dim - 1, dim + 1);
            strides[a] = r.nextInt(4) == 0 ? -r.between(1, 3) : r.between(1, 3);
            if (r.nextInt(4) == 0) {
                beginMask |= 1 << a;
            }
            if (r.nextInt(4) == 0) {
                endMask |= 1 << a;
            }
            out.add(sliceCount(dim, begin[a], end[a], strides[a], (beginMask & (1 << a)) != 0,
                    (endMask & (1 << a)) != 0));
        }
        int[] outShape = out.stream().mapToInt(Integer::intValue).toArray();
        if (Draw.count(outShape) == 0) {
            return null;
        }
        Element e = Element.draw(r, true);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.STRIDED_SLICE, 1,
                new BuiltinOptions.StridedSlice(beginMask, endMask, 0, 0, shrinkMask, false))
                .input(e.type(), in, e.quantization()).int32Vector(begin).int32Vector(end).int32Vector(strides)
                .output(e.type(), outShape, e.quantization());
        return single(seed, "STRIDED_SLICE", Draw.shape(in) + " begin " + Arrays.toString(begin) + " end "
                + Arrays.toString(end) + " strides " + Arrays.toString(strides) + " masks begin " + beginMask
                + " end " + endMask + " shrink " + shrinkMask + " -> " + Draw.shape(outShape), m, e, r, in);
    }

    /** Elements one axis of a strided slice keeps (TensorFlow's semantics). */
    static int sliceCount(int dim, int begin, int end, int stride, boolean beginMasked, boolean endMasked) {
        int start;
        int stop;
        if (stride > 0) {
            start = beginMasked ? 0 : Math.max(0, Math.min(dim, begin < 0 ? begin + dim : begin));
            stop = endMasked ? dim : Math.max(0, Math.min(dim, end < 0 ? end + dim : end));
            return Math.max(0, (stop - start + stride - 1) / stride);
        }
        start = beginMasked ? dim - 1 : Math.max(-1, Math.min(dim - 1, begin < 0 ? begin + dim : begin));
        stop = endMasked ? -1 : Math.max(-1, Math.min(dim - 1, end < 0 ? end + dim : end));
        return Math.max(0, (start - stop - stride - 1) / -stride);
    }

    static DeviceCase concatenation(long seed, RandomCases r) {
        int rank = r.between(1, 4);
        int inputs = r.between(1, 4);
        int[] base = r.dims(rank, 1, 5);
        int axis = r.between(-rank, rank - 1);
        int at = axis < 0 ? axis + rank : axis;
        Element e = Element.draw(r, true);
        SingleOpModel m = new SingleOpModel(BuiltinOperator.CONCATENATION, 1, new BuiltinOptions.Concatenation(axis, 0));
        List<byte[]> data = new ArrayList<>();
        int[] out = base.clone();
        out[at] = 0;
        StringBuilder shapes = new StringBuilder();
        for (int i = 0; i < inputs; i++) {
            int[] s = base.clone();
            s[at] = r.between(1, 4);
            out[at] += s[at];
            m.input(e.type(), s, e.quantization());
            data.add(e.data(r, Draw.count(s)));
            shapes.append(Draw.shape(s)).append(' ');
        }
        m.output(e.type(), out, e.quantization());
        return new DeviceCase("CONCATENATION", seed, shapes + "axis " + axis + ", " + e, m.bytes(), data);
    }

    static DeviceCase pad(long seed, RandomCases r, boolean v2) {
        int rank = r.between(1, 4);
        int[] in = r.dims(rank, 1, 5);
        int[] paddings = new int[2 * rank];
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            paddings[2 * d] = r.nextInt(3) == 0 ? 0 : r.between(0, 3);
            paddings[2 * d + 1] = r.nextInt(3) == 0 ? 0 : r.between(0, 3);
            out[d] = in[d] + paddings[2 * d] + paddings[2 * d + 1];
        }
        Element e = Element.draw(r, true);
        BuiltinOperator op = v2 ? BuiltinOperator.PADV2 : BuiltinOperator.PAD;
        SingleOpModel m = new SingleOpModel(op, 1, new BuiltinOptions.Empty(v2 ? BuiltinOptions.Types.PADV2
                : BuiltinOptions.Types.PAD)).input(e.type(), in, e.quantization())
                .int32Constant(new int[] {rank, 2}, paddings, Quantization.NONE);
        if (v2) {
            m.constant(e.type(), new int[] {1}, e.data(r, 1), e.quantization());
        }
        m.output(e.type(), out, e.quantization());
        return single(seed, op.name(), Draw.shape(in) + " paddings " + Arrays.toString(paddings), m, e, r, in);
    }

    static DeviceCase mean(long seed, RandomCases r, boolean floats) {
        return mean(seed, r, floats ? TensorType.FLOAT32 : TensorType.INT8);
    }

    /** A MEAN case of float32, int8 or int16 (symmetric, inputs leaning on the extremes) tensors. */
    static DeviceCase mean(long seed, RandomCases r, TensorType type) {
        boolean floats = type == TensorType.FLOAT32;
        int rank = r.between(1, 4);
        int[] in = rank == 4 && r.nextBoolean() ? new int[] {r.between(1, 2), r.between(1, 9), r.between(1, 9),
                r.between(1, 8)} : r.dims(rank, 1, 6);
        int[] axes;
        if (rank == 4 && r.nextBoolean()) {
            axes = new int[] {1, 2}; // global average pooling
        } else {
            int count = Math.min(rank, r.between(1, 2));
            int[] p = r.permutation(rank);
            axes = Arrays.copyOf(p, count);
            for (int i = 0; i < count; i++) {
                if (r.nextInt(3) == 0) {
                    axes[i] -= rank;
                }
            }
        }
        boolean keepDims = r.nextBoolean();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a < 0 ? a + rank : a] = true;
        }
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) {
                out.add(in[d]);
            } else if (keepDims) {
                out.add(1);
            }
        }
        int[] outShape = out.stream().mapToInt(Integer::intValue).toArray();
        String what = Draw.shape(in) + " axes " + Arrays.toString(axes) + (keepDims ? " keep_dims" : "") + " -> "
                + Draw.shape(outShape);
        if (type == TensorType.INT16) {
            Quantization qi = Int16Cases.symmetric(r, 1.0 / (1 << 15), 0.01);
            Quantization qo = r.nextInt(3) == 0 ? qi : Quantization.perTensor((float) (qi.scale() * r.scale(0.3, 3)), 0);
            SingleOpModel m = new SingleOpModel(BuiltinOperator.MEAN, 1, new BuiltinOptions.Reducer(keepDims))
                    .input(type, in, qi).int32Vector(axes).output(type, outShape, qo);
            return new DeviceCase("MEAN int16", seed, what + ", in " + qi + ", out " + qo, m.bytes(),
                    List.of(Int16Cases.int16s(r, Draw.count(in))));
        }
        Quantization qi = floats ? Quantization.NONE : Draw.perTensor(r, 0.01, 0.5);
        Quantization qo = floats ? Quantization.NONE : r.nextInt(3) == 0 ? qi
                : Quantization.perTensor((float) (qi.scale() * r.scale(0.3, 3)), Draw.zeroPoint(r));
        SingleOpModel m = new SingleOpModel(BuiltinOperator.MEAN, 1, new BuiltinOptions.Reducer(keepDims))
                .input(type, in, qi).int32Vector(axes).output(type, outShape, qo);
        return new DeviceCase(floats ? "MEAN float32" : "MEAN int8", seed, what + ", in " + qi + ", out " + qo,
                m.bytes(), List.of(floats ? Draw.floats(r, Draw.count(in), 3) : r.int8s(Draw.count(in))));
    }
}
