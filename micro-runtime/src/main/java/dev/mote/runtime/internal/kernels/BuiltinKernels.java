package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.vocabulary.BuiltinOperator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The table of every builtin kernel Mote implements (one class per op in this package). */
public final class BuiltinKernels {
    private static final Map<BuiltinOperator, Supplier<Kernel>> ALL;
    private static final Map<BuiltinOperator, Supplier<Kernel>> FOOTPRINT_ONLY;

    static {
        Map<BuiltinOperator, Supplier<Kernel>> m = new EnumMap<>(BuiltinOperator.class);
        m.put(BuiltinOperator.FULLY_CONNECTED, FullyConnected::new);
        m.put(BuiltinOperator.CONV_2D, Conv2D::new);
        m.put(BuiltinOperator.DEPTHWISE_CONV_2D, DepthwiseConv2D::new);
        m.put(BuiltinOperator.MAX_POOL_2D, MaxPool2D::new);
        m.put(BuiltinOperator.AVERAGE_POOL_2D, AveragePool2D::new);
        m.put(BuiltinOperator.SOFTMAX, Softmax::new);
        m.put(BuiltinOperator.LOGISTIC, Logistic::new);
        m.put(BuiltinOperator.TANH, Tanh::new);
        m.put(BuiltinOperator.RELU, Relu::new);
        m.put(BuiltinOperator.RELU6, Relu6::new);
        m.put(BuiltinOperator.LEAKY_RELU, LeakyRelu::new);
        m.put(BuiltinOperator.HARD_SWISH, HardSwish::new);
        m.put(BuiltinOperator.ADD, Add::new);
        m.put(BuiltinOperator.SUB, Sub::new);
        m.put(BuiltinOperator.MUL, Mul::new);
        m.put(BuiltinOperator.QUANTIZE, Quantize::new);
        m.put(BuiltinOperator.DEQUANTIZE, Dequantize::new);
        m.put(BuiltinOperator.RESHAPE, Reshape::new);
        m.put(BuiltinOperator.SQUEEZE, Squeeze::new);
        m.put(BuiltinOperator.EXPAND_DIMS, ExpandDims::new);
        m.put(BuiltinOperator.TRANSPOSE, Transpose::new);
        m.put(BuiltinOperator.STRIDED_SLICE, StridedSlice::new);
        m.put(BuiltinOperator.CONCATENATION, Concatenation::new);
        m.put(BuiltinOperator.PAD, Pad::new);
        m.put(BuiltinOperator.PADV2, Pad::new);
        m.put(BuiltinOperator.MEAN, Mean::new);
        m.put(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, UnidirectionalSequenceLstm::new);
        m.put(BuiltinOperator.SVDF, Svdf::new);
        m.put(BuiltinOperator.TRANSPOSE_CONV, TransposeConv::new);
        ALL = Collections.unmodifiableMap(m);
        Map<BuiltinOperator, Supplier<Kernel>> f = new EnumMap<>(BuiltinOperator.class);
        f.put(BuiltinOperator.MEAN, MeanFootprint::new);
        f.put(BuiltinOperator.FULLY_CONNECTED, FullyConnectedFootprint::new);
        f.put(BuiltinOperator.CONV_2D, Conv2DFootprint::new);
        f.put(BuiltinOperator.DEPTHWISE_CONV_2D, DepthwiseConv2DFootprint::new);
        FOOTPRINT_ONLY = Collections.unmodifiableMap(f);
    }

    private BuiltinKernels() {
    }

    /** Operator → kernel factory, for every implemented builtin. */
    public static Map<BuiltinOperator, Supplier<Kernel>> all() {
        return ALL;
    }

    /**
     * Operator → a kernel that declares only the op's TFLM arena footprint ({@link FootprintOnlyKernel}: its invoke
     * refuses), for configurations an
     * implemented kernel refuses but whose footprint Mote knows (int16 MEAN, per-channel int8
     * FULLY_CONNECTED, CONV_2D with an int4 filter, 16x8 DEPTHWISE_CONV_2D with an int32 bias), declared by the
     * kernel's own {@code declareFootprint}. Never in an op resolver: only the arena accounting uses them, when the resolver's kernel is absent or refuses the node.
     */
    public static Map<BuiltinOperator, Supplier<Kernel>> footprintOnly() {
        return FOOTPRINT_ONLY;
    }
}
