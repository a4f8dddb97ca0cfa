package dev.mote.runtime.format;

import dev.mote.vocabulary.Activation;

import dev.mote.vocabulary.Padding;

/**
 * The {@code builtin_options} union of an operator. Each record keeps enum fields as their raw codes so that a
 * kernel can refuse an unknown value by name; use {@link Padding#fromCode} / {@link Activation#fromCode} to
 * interpret them.
 */
public sealed interface BuiltinOptions {

    /** The operator has no builtin options. */
    BuiltinOptions NONE = new Empty(0);

    /** The union type code of this options table in the schema. */
    int unionType();

    /** Union type codes of the options Mote reads field by field. */
    final class Types {
        public static final int CONV_2D = 1;
        public static final int DEPTHWISE_CONV_2D = 2;
        public static final int POOL_2D = 5;
        public static final int SVDF = 6;
        public static final int FULLY_CONNECTED = 8;
        public static final int SOFTMAX = 9;
        public static final int CONCATENATION = 10;
        public static final int ADD = 11;
        public static final int RESHAPE = 17;
        public static final int MUL = 21;
        public static final int PAD = 22;
        public static final int TRANSPOSE = 26;
        public static final int REDUCER = 27;
        public static final int SUB = 28;
        public static final int SQUEEZE = 30;
        public static final int STRIDED_SLICE = 32;
        public static final int DEQUANTIZE = 38;
        public static final int PADV2 = 43;
        public static final int TRANSPOSE_CONV = 49;
        public static final int EXPAND_DIMS = 52;
        public static final int UNIDIRECTIONAL_SEQUENCE_LSTM = 71;
        public static final int LEAKY_RELU = 75;
        public static final int QUANTIZE = 89;
        public static final int HARD_SWISH = 91;
        /** The last union member of {@code BuiltinOptions} in the schema this code knows. */
        public static final int MAX_KNOWN = 126;

        private Types() {
        }
    }

    /** Options without fields (or of a kind whose fields Mote does not read): only the union type is kept. */
    record Empty(int unionType) implements BuiltinOptions {
    }

    record Conv2D(int padding, int strideW, int strideH, int activation, int dilationW, int dilationH)
            implements BuiltinOptions {
        public static Conv2D of(Padding padding, int strideW, int strideH, Activation activation) {
            return new Conv2D(padding.code(), strideW, strideH, activation.code(), 1, 1);
        }

        @Override
        public int unionType() {
            return Types.CONV_2D;
        }
    }

    record DepthwiseConv2D(int padding, int strideW, int strideH, int depthMultiplier, int activation,
                           int dilationW, int dilationH) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.DEPTHWISE_CONV_2D;
        }
    }

    record Pool2D(int padding, int strideW, int strideH, int filterW, int filterH, int activation)
            implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.POOL_2D;
        }
    }

    record FullyConnected(int activation, int weightsFormat, boolean keepNumDims, boolean asymmetricQuantizeInputs)
            implements BuiltinOptions {
        public static FullyConnected of(Activation activation) {
            return new FullyConnected(activation.code(), 0, false, false);
        }

        @Override
        public int unionType() {
            return Types.FULLY_CONNECTED;
        }
    }

    record Softmax(float beta) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.SOFTMAX;
        }
    }

    record Concatenation(int axis, int activation) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.CONCATENATION;
        }
    }

    record Add(int activation, boolean potScaleInt16) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.ADD;
        }
    }

    record Sub(int activation, boolean potScaleInt16) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.SUB;
        }
    }

    record Mul(int activation) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.MUL;
        }
    }

    /** {@code new_shape} may be absent ({@code null}); the shape then comes from the second input. */
    record Reshape(int[] newShape) implements BuiltinOptions {
        public Reshape {
            newShape = newShape == null ? null : newShape.clone();
        }

        @Override
        public int[] newShape() {
            return newShape == null ? null : newShape.clone();
        }

        @Override
        public int unionType() {
            return Types.RESHAPE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reshape r && java.util.Arrays.equals(newShape, r.newShape);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(newShape);
        }
    }

    record Reducer(boolean keepDims) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.REDUCER;
        }
    }

    record Squeeze(int[] squeezeDims) implements BuiltinOptions {
        public Squeeze {
            squeezeDims = squeezeDims == null ? new int[0] : squeezeDims.clone();
        }

        @Override
        public int[] squeezeDims() {
            return squeezeDims.clone();
        }

        @Override
        public int unionType() {
            return Types.SQUEEZE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Squeeze s && java.util.Arrays.equals(squeezeDims, s.squeezeDims);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(squeezeDims);
        }
    }

    record StridedSlice(int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask,
                        boolean offset) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.STRIDED_SLICE;
        }
    }

    record LeakyRelu(float alpha) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.LEAKY_RELU;
        }
    }

    /** {@code TransposeConvOptions}: padding, stride_w, stride_h, fused activation, quantized_bias_type. */
    record TransposeConv(int padding, int strideW, int strideH, int activation, int quantizedBiasType)
            implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.TRANSPOSE_CONV;
        }
    }

    /** {@code SVDFOptions}: rank, fused activation, asymmetric_quantize_inputs. */
    record Svdf(int rank, int activation, boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.SVDF;
        }
    }

    /** {@code UnidirectionalSequenceLSTMOptions}. */
    record UnidirectionalSequenceLstm(int activation, float cellClip, float projClip, boolean timeMajor,
                                      boolean asymmetricQuantizeInputs, boolean diagonalRecurrentTensors)
            implements BuiltinOptions {
        @Override
        public int unionType() {
            return Types.UNIDIRECTIONAL_SEQUENCE_LSTM;
        }
    }
}
