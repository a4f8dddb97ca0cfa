package dev.mote.codegen.internal;

import dev.mote.codegen.internal.ops.AddEmitter;
import dev.mote.codegen.internal.ops.ConcatenationEmitter;
import dev.mote.codegen.internal.ops.ConvolutionEmitter;
import dev.mote.codegen.internal.ops.DequantizeEmitter;
import dev.mote.codegen.internal.ops.FullyConnectedEmitter;
import dev.mote.codegen.internal.ops.LookupActivationEmitter;
import dev.mote.codegen.internal.ops.MeanEmitter;
import dev.mote.codegen.internal.ops.MulEmitter;
import dev.mote.codegen.internal.ops.PadEmitter;
import dev.mote.codegen.internal.ops.PoolEmitter;
import dev.mote.codegen.internal.ops.QuantizeEmitter;
import dev.mote.codegen.internal.ops.SoftmaxEmitter;
import dev.mote.codegen.internal.ops.StridedSliceEmitter;
import dev.mote.codegen.internal.ops.SubEmitter;
import dev.mote.codegen.internal.ops.TransposeEmitter;
import dev.mote.codegen.internal.ops.ViewEmitter;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.util.Collections;
import java.util.EnumSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The table of every operator the C code generator emits (one emitter class per op in {@code internal.ops}). */
public final class Emitters {
    private static final Map<BuiltinOperator, OpEmitter> ALL;

    static {
        Map<BuiltinOperator, OpEmitter> m = new EnumMap<>(BuiltinOperator.class);
        m.put(BuiltinOperator.FULLY_CONNECTED, new FullyConnectedEmitter());
        m.put(BuiltinOperator.CONV_2D, new ConvolutionEmitter(false));
        m.put(BuiltinOperator.DEPTHWISE_CONV_2D, new ConvolutionEmitter(true));
        m.put(BuiltinOperator.SOFTMAX, new SoftmaxEmitter());
        m.put(BuiltinOperator.MEAN, new MeanEmitter());
        m.put(BuiltinOperator.TRANSPOSE, new TransposeEmitter());
        m.put(BuiltinOperator.STRIDED_SLICE, new StridedSliceEmitter());
        m.put(BuiltinOperator.PAD, new PadEmitter());
        m.put(BuiltinOperator.PADV2, new PadEmitter());
        m.put(BuiltinOperator.CONCATENATION, new ConcatenationEmitter());
        m.put(BuiltinOperator.QUANTIZE, new QuantizeEmitter());
        m.put(BuiltinOperator.DEQUANTIZE, new DequantizeEmitter());
        for (BuiltinOperator op : new BuiltinOperator[] {BuiltinOperator.RELU, BuiltinOperator.RELU6,
                BuiltinOperator.LEAKY_RELU, BuiltinOperator.HARD_SWISH, BuiltinOperator.LOGISTIC,
                BuiltinOperator.TANH}) {
            m.put(op, new LookupActivationEmitter());
        }
        m.put(BuiltinOperator.MAX_POOL_2D, new PoolEmitter(false));
        m.put(BuiltinOperator.AVERAGE_POOL_2D, new PoolEmitter(true));
        m.put(BuiltinOperator.RESHAPE, new ViewEmitter());
        m.put(BuiltinOperator.SQUEEZE, new ViewEmitter());
        m.put(BuiltinOperator.EXPAND_DIMS, new ViewEmitter());
        m.put(BuiltinOperator.ADD, new AddEmitter());
        m.put(BuiltinOperator.SUB, new SubEmitter());
        m.put(BuiltinOperator.MUL, new MulEmitter());
        ALL = Collections.unmodifiableMap(m);
    }

    private static final Set<BuiltinOperator> NOT_EMITTED_YET = Collections.unmodifiableSet(
            EnumSet.of(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, BuiltinOperator.SVDF,
                    BuiltinOperator.TRANSPOSE_CONV));

    /** See {@link #notEmittedTypes()}. */
    private static final Map<BuiltinOperator, Set<TensorType>> NOT_EMITTED_TYPES;

    static {
        Map<BuiltinOperator, Set<TensorType>> t = new EnumMap<>(BuiltinOperator.class);
        for (BuiltinOperator op : new BuiltinOperator[] {BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.CONV_2D,
                BuiltinOperator.DEPTHWISE_CONV_2D}) {
            t.put(op, Collections.unmodifiableSet(EnumSet.of(TensorType.INT16)));
        }
        t.put(BuiltinOperator.SOFTMAX, Collections.unmodifiableSet(EnumSet.of(TensorType.INT16)));
        NOT_EMITTED_TYPES = Collections.unmodifiableMap(t);
    }

    private Emitters() {
    }

    /** The emitter of {@code op}, or null if the generator has none. */
    public static OpEmitter of(BuiltinOperator op) {
        return op == null ? null : ALL.get(op);
    }

    /** The operators the generator emits. */
    public static Set<BuiltinOperator> supported() {
        return ALL.keySet();
    }

    /**
     * The operators micro-runtime computes that the generator deliberately does not emit yet, refusing a model with
     * one ({@link dev.mote.codegen.UnsupportedByCodegenException} naming the operator): UNIDIRECTIONAL_SEQUENCE_LSTM
     * and SVDF (their state lives in variable tensors across invokes, which the generated C does not model yet).
     */
    public static Set<BuiltinOperator> notEmittedYet() {
        return NOT_EMITTED_YET;
    }

    /**
     * The input types (of operand 0) with which an emitted operator is computed by micro-runtime but deliberately
     * not emitted yet; the generator refuses such a node ({@link dev.mote.codegen.UnsupportedByCodegenException}
     * naming the operator and the type): FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D with int16 activations
     * (16x8: int8 weights, int32 or int64 bias), and SOFTMAX with int16 input (TFLM's lookup-table softmax), which
     * have no C kernel yet.
     */
    public static Map<BuiltinOperator, Set<TensorType>> notEmittedTypes() {
        return NOT_EMITTED_TYPES;
    }
}
