package dev.mote.runtime.format;

import com.google.flatbuffers.FlatBufferBuilder;

/** Reads and writes the builtin options tables Mote knows, field slot by field slot as in the schema. */
final class OptionsCodec {
    private OptionsCodec() {
    }

    static BuiltinOptions read(int type, SafeFlatBuffer.Table o) {
        return switch (type) {
            case BuiltinOptions.Types.CONV_2D -> new BuiltinOptions.Conv2D(o.u8(0, "padding", 0),
                    o.i32(1, "stride_w", 0), o.i32(2, "stride_h", 0), o.u8(3, "fused_activation_function", 0),
                    o.i32(4, "dilation_w_factor", 1), o.i32(5, "dilation_h_factor", 1));
            case BuiltinOptions.Types.DEPTHWISE_CONV_2D -> new BuiltinOptions.DepthwiseConv2D(o.u8(0, "padding", 0),
                    o.i32(1, "stride_w", 0), o.i32(2, "stride_h", 0), o.i32(3, "depth_multiplier", 0),
                    o.u8(4, "fused_activation_function", 0), o.i32(5, "dilation_w_factor", 1),
                    o.i32(6, "dilation_h_factor", 1));
            case BuiltinOptions.Types.POOL_2D -> new BuiltinOptions.Pool2D(o.u8(0, "padding", 0),
                    o.i32(1, "stride_w", 0), o.i32(2, "stride_h", 0), o.i32(3, "filter_width", 0),
                    o.i32(4, "filter_height", 0), o.u8(5, "fused_activation_function", 0));
            case BuiltinOptions.Types.FULLY_CONNECTED -> new BuiltinOptions.FullyConnected(
                    o.u8(0, "fused_activation_function", 0), o.u8(1, "weights_format", 0),
                    o.bool(2, "keep_num_dims", false), o.bool(3, "asymmetric_quantize_inputs", false));
            case BuiltinOptions.Types.SOFTMAX -> new BuiltinOptions.Softmax(o.f32(0, "beta", 0f));
            case BuiltinOptions.Types.CONCATENATION -> new BuiltinOptions.Concatenation(o.i32(0, "axis", 0),
                    o.u8(1, "fused_activation_function", 0));
            case BuiltinOptions.Types.ADD -> new BuiltinOptions.Add(o.u8(0, "fused_activation_function", 0),
                    o.bool(1, "pot_scale_int16", true));
            case BuiltinOptions.Types.SUB -> new BuiltinOptions.Sub(o.u8(0, "fused_activation_function", 0),
                    o.bool(1, "pot_scale_int16", true));
            case BuiltinOptions.Types.MUL -> new BuiltinOptions.Mul(o.u8(0, "fused_activation_function", 0));
            case BuiltinOptions.Types.RESHAPE -> {
                SafeFlatBuffer.Vector v = o.vector(0, "new_shape", 4);
                yield new BuiltinOptions.Reshape(v == null ? null : v.ints());
            }
            case BuiltinOptions.Types.REDUCER -> new BuiltinOptions.Reducer(o.bool(0, "keep_dims", false));
            case BuiltinOptions.Types.SQUEEZE -> {
                SafeFlatBuffer.Vector v = o.vector(0, "squeeze_dims", 4);
                yield new BuiltinOptions.Squeeze(v == null ? new int[0] : v.ints());
            }
            case BuiltinOptions.Types.STRIDED_SLICE -> new BuiltinOptions.StridedSlice(o.i32(0, "begin_mask", 0),
                    o.i32(1, "end_mask", 0), o.i32(2, "ellipsis_mask", 0), o.i32(3, "new_axis_mask", 0),
                    o.i32(4, "shrink_axis_mask", 0), o.bool(5, "offset", false));
            case BuiltinOptions.Types.LEAKY_RELU -> new BuiltinOptions.LeakyRelu(o.f32(0, "alpha", 0f));
            case BuiltinOptions.Types.SVDF -> new BuiltinOptions.Svdf(o.i32(0, "rank", 0),
                    o.u8(1, "fused_activation_function", 0), o.bool(2, "asymmetric_quantize_inputs", false));
            case BuiltinOptions.Types.TRANSPOSE_CONV -> new BuiltinOptions.TransposeConv(o.u8(0, "padding", 0),
                    o.i32(1, "stride_w", 0), o.i32(2, "stride_h", 0), o.u8(3, "fused_activation_function", 0),
                    o.u8(4, "quantized_bias_type", 0));
            case BuiltinOptions.Types.UNIDIRECTIONAL_SEQUENCE_LSTM -> new BuiltinOptions.UnidirectionalSequenceLstm(
                    o.u8(0, "fused_activation_function", 0), o.f32(1, "cell_clip", 0f), o.f32(2, "proj_clip", 0f),
                    o.bool(3, "time_major", false), o.bool(4, "asymmetric_quantize_inputs", false),
                    o.bool(5, "diagonal_recurrent_tensors", false));
            default -> new BuiltinOptions.Empty(type);
        };
    }

    /** Writes the options table and returns its offset (the caller sets the union type). */
    static int write(FlatBufferBuilder b, BuiltinOptions options) {
        if (options instanceof BuiltinOptions.Conv2D c) {
            b.startTable(8);
            b.addInt(1, c.strideW(), 0);
            b.addInt(2, c.strideH(), 0);
            b.addInt(4, c.dilationW(), 1);
            b.addInt(5, c.dilationH(), 1);
            b.addByte(0, (byte) c.padding(), 0);
            b.addByte(3, (byte) c.activation(), 0);
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D d) {
            b.startTable(7);
            b.addInt(1, d.strideW(), 0);
            b.addInt(2, d.strideH(), 0);
            b.addInt(3, d.depthMultiplier(), 0);
            b.addInt(5, d.dilationW(), 1);
            b.addInt(6, d.dilationH(), 1);
            b.addByte(0, (byte) d.padding(), 0);
            b.addByte(4, (byte) d.activation(), 0);
        } else if (options instanceof BuiltinOptions.Pool2D p) {
            b.startTable(6);
            b.addInt(1, p.strideW(), 0);
            b.addInt(2, p.strideH(), 0);
            b.addInt(3, p.filterW(), 0);
            b.addInt(4, p.filterH(), 0);
            b.addByte(0, (byte) p.padding(), 0);
            b.addByte(5, (byte) p.activation(), 0);
        } else if (options instanceof BuiltinOptions.FullyConnected f) {
            b.startTable(5);
            b.addByte(0, (byte) f.activation(), 0);
            b.addByte(1, (byte) f.weightsFormat(), 0);
            b.addBoolean(2, f.keepNumDims(), false);
            b.addBoolean(3, f.asymmetricQuantizeInputs(), false);
        } else if (options instanceof BuiltinOptions.Softmax s) {
            b.startTable(1);
            b.addFloat(0, s.beta(), 0);
        } else if (options instanceof BuiltinOptions.Concatenation c) {
            b.startTable(2);
            b.addInt(0, c.axis(), 0);
            b.addByte(1, (byte) c.activation(), 0);
        } else if (options instanceof BuiltinOptions.Add a) {
            b.startTable(2);
            b.addByte(0, (byte) a.activation(), 0);
            b.addBoolean(1, a.potScaleInt16(), true);
        } else if (options instanceof BuiltinOptions.Sub s) {
            b.startTable(2);
            b.addByte(0, (byte) s.activation(), 0);
            b.addBoolean(1, s.potScaleInt16(), true);
        } else if (options instanceof BuiltinOptions.Mul m) {
            b.startTable(1);
            b.addByte(0, (byte) m.activation(), 0);
        } else if (options instanceof BuiltinOptions.Reshape r) {
            int shape = r.newShape() == null ? 0 : ModelWriter.intVector(b, r.newShape());
            b.startTable(1);
            if (r.newShape() != null) {
                b.addOffset(0, shape, 0);
            }
        } else if (options instanceof BuiltinOptions.Reducer r) {
            b.startTable(1);
            b.addBoolean(0, r.keepDims(), false);
        } else if (options instanceof BuiltinOptions.Squeeze s) {
            int dims = ModelWriter.intVector(b, s.squeezeDims());
            b.startTable(1);
            b.addOffset(0, dims, 0);
        } else if (options instanceof BuiltinOptions.StridedSlice s) {
            b.startTable(6);
            b.addInt(0, s.beginMask(), 0);
            b.addInt(1, s.endMask(), 0);
            b.addInt(2, s.ellipsisMask(), 0);
            b.addInt(3, s.newAxisMask(), 0);
            b.addInt(4, s.shrinkAxisMask(), 0);
            b.addBoolean(5, s.offset(), false);
        } else if (options instanceof BuiltinOptions.LeakyRelu l) {
            b.startTable(1);
            b.addFloat(0, l.alpha(), 0);
        } else if (options instanceof BuiltinOptions.Svdf v) {
            b.startTable(3);
            b.addInt(0, v.rank(), 0);
            b.addByte(1, (byte) v.activation(), 0);
            b.addBoolean(2, v.asymmetricQuantizeInputs(), false);
        } else if (options instanceof BuiltinOptions.TransposeConv t) {
            b.startTable(5);
            b.addInt(1, t.strideW(), 0);
            b.addInt(2, t.strideH(), 0);
            b.addByte(0, (byte) t.padding(), 0);
            b.addByte(3, (byte) t.activation(), 0);
            b.addByte(4, (byte) t.quantizedBiasType(), 0);
        } else if (options instanceof BuiltinOptions.UnidirectionalSequenceLstm l) {
            b.startTable(6);
            b.addFloat(1, l.cellClip(), 0);
            b.addFloat(2, l.projClip(), 0);
            b.addByte(0, (byte) l.activation(), 0);
            b.addBoolean(3, l.timeMajor(), false);
            b.addBoolean(4, l.asymmetricQuantizeInputs(), false);
            b.addBoolean(5, l.diagonalRecurrentTensors(), false);
        } else {
            b.startTable(0);
        }
        return b.endTable();
    }
}
