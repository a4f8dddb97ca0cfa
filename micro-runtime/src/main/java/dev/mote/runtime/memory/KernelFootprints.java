package dev.mote.runtime.memory;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.TensorType;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What each of TFLM's reference kernels puts into the arena, op kind by op kind: the builtin-options struct its
 * parser allocates ({@code flatbuffer_conversions.cc}), the {@code OpData} its {@code Init} allocates, and what its
 * {@code Prepare} does (temporary {@code TfLiteTensor}s, persistent buffers such as per-channel multipliers and
 * shifts, scratch-buffer requests). This is the single table of per-op arena use; kernels do not carry it.
 *
 * <p>Ops missing from the table get a conservative estimate ({@link Footprint#exact()} is false): no options
 * struct, no {@code OpData}, and a temporary tensor for every input and output.
 */
public final class KernelFootprints {

    /** What a kernel's {@code Prepare} asks of the allocator, in call order. */
    public interface PrepareSink {
        /** {@code AllocateTempInputTensor}/{@code AllocateTempOutputTensor} for tensor {@code tensorIndex}. */
        void temp(int tensorIndex);

        /** {@code context->AllocatePersistentBuffer(bytes)} (16-byte aligned, from the tail). */
        void persistent(String what, long bytes);

        /** {@code context->RequestScratchBufferInArena(bytes)}. */
        void scratch(long bytes);
    }

    /** One operator as a kernel's {@code Prepare} sees it. */
    public record Node(int index, BuiltinOperator op, int[] inputs, int[] outputs, Subgraph subgraph) {

        /** Tensor index of input {@code i}, or -1 if absent or omitted. */
        public int input(int i) {
            return i < inputs.length ? inputs[i] : -1;
        }

        public int output(int i) {
            return i < outputs.length ? outputs[i] : -1;
        }

        /** The declaration of input {@code i}, or {@code null} if absent. */
        public Tensor inputTensor(int i) {
            int t = input(i);
            return t < 0 ? null : subgraph.tensor(t);
        }

        public Tensor outputTensor(int i) {
            int t = output(i);
            return t < 0 ? null : subgraph.tensor(t);
        }

        void tempAllInputs(PrepareSink sink) {
            for (int t : inputs) {
                sink.temp(t);
            }
        }

        void tempAllOutputs(PrepareSink sink) {
            for (int t : outputs) {
                sink.temp(t);
            }
        }
    }

    /** A kernel's prepare-time behaviour. */
    @FunctionalInterface
    public interface Prepare {
        void run(Node node, PrepareSink sink);
    }

    /**
     * The arena footprint of one op kind.
     *
     * @param op      the operator
     * @param exact   false for ops not in the table (estimated)
     * @param params  the builtin-options struct the parser allocates, or {@code null} if the parser allocates none
     * @param opData  the struct {@code Init} allocates, or {@code null} if the kernel has no {@code Init}
     * @param prepare what {@code Prepare} allocates
     */
    public record Footprint(BuiltinOperator op, boolean exact, Function<Abi, CStruct> params,
                            Function<Abi, CStruct> opData, Prepare prepare) {

        /** The builtin-options struct for {@code abi}, or {@code null}. */
        public CStruct params(Abi abi) {
            return params == null ? null : params.apply(abi);
        }

        /** The {@code OpData} struct for {@code abi}, or {@code null}. */
        public CStruct opData(Abi abi) {
            return opData == null ? null : opData.apply(abi);
        }

        public void prepare(Node node, PrepareSink sink) {
            prepare.run(node, sink);
        }
    }

    private static final Map<BuiltinOperator, Footprint> TABLE;

    static {
        Map<BuiltinOperator, Footprint> m = new EnumMap<>(BuiltinOperator.class);
        put(m, BuiltinOperator.FULLY_CONNECTED, KernelFootprints::fullyConnectedParams,
                KernelFootprints::opDataFullyConnected, KernelFootprints::prepareFullyConnected);
        put(m, BuiltinOperator.CONV_2D, KernelFootprints::convParams, KernelFootprints::opDataConv,
                (n, s) -> prepareConvolution(n, s, 0, false));
        put(m, BuiltinOperator.DEPTHWISE_CONV_2D, KernelFootprints::depthwiseConvParams,
                KernelFootprints::opDataConv, (n, s) -> prepareConvolution(n, s, 3, true));
        put(m, BuiltinOperator.AVERAGE_POOL_2D, KernelFootprints::poolParams, KernelFootprints::opDataPooling,
                KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.MAX_POOL_2D, KernelFootprints::poolParams, KernelFootprints::opDataPooling,
                KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.RESHAPE, KernelFootprints::reshapeParams, null, KernelFootprints::prepareReshape);
        put(m, BuiltinOperator.SOFTMAX, abi -> CStruct.of(abi).float32().build(), KernelFootprints::softmaxParams,
                KernelFootprints::prepareSoftmax);
        put(m, BuiltinOperator.LOGISTIC, null, KernelFootprints::fourInts, KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.TANH, null, KernelFootprints::fourInts, (n, s) -> {
            s.temp(n.input(0));
            s.temp(n.input(0));
            s.temp(n.output(0));
        });
        put(m, BuiltinOperator.RELU, null, KernelFootprints::fourInts, KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.RELU6, null, abi -> CStruct.of(abi).int32s(2).build(),
                KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.LEAKY_RELU, abi -> CStruct.of(abi).float32().build(),
                abi -> CStruct.of(abi).int32s(6).build(), KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.HARD_SWISH, null, KernelFootprints::hardSwishParams,
                KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.ADD, KernelFootprints::activationAndBool, KernelFootprints::opDataAdd,
                KernelFootprints::prepareBinary);
        put(m, BuiltinOperator.SUB, KernelFootprints::activationAndBool, KernelFootprints::opDataSub,
                KernelFootprints::prepareBinary);
        put(m, BuiltinOperator.MUL, abi -> CStruct.of(abi).cEnum().build(),
                abi -> CStruct.of(abi).int32s(7).float32().float32().build(), KernelFootprints::prepareBinary);
        put(m, BuiltinOperator.MEAN, abi -> CStruct.of(abi).bool().build(),
                abi -> CStruct.of(abi).int32s(10).build(), KernelFootprints::prepareMean);
        put(m, BuiltinOperator.PAD, null, KernelFootprints::opDataPad, KernelFootprints::preparePad);
        put(m, BuiltinOperator.PADV2, null, KernelFootprints::opDataPad, KernelFootprints::preparePad);
        put(m, BuiltinOperator.CONCATENATION, abi -> CStruct.of(abi).int32().cEnum().build(),
                KernelFootprints::concatenationParams, KernelFootprints::prepareConcatenation);
        put(m, BuiltinOperator.QUANTIZE, null, KernelFootprints::opDataQuantize, (n, s) -> {
            s.temp(n.output(0));
            s.temp(n.input(0));
        });
        put(m, BuiltinOperator.DEQUANTIZE, null, KernelFootprints::opDataDequantize,
                KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.STRIDED_SLICE, abi -> CStruct.of(abi).int32s(5).bool().build(),
                KernelFootprints::stridedSliceParams, (n, s) -> {
                    for (int i = 0; i < 4; i++) {
                        s.temp(n.input(i));
                    }
                    s.temp(n.output(0));
                });
        put(m, BuiltinOperator.TRANSPOSE, null, null, (n, s) -> {
            s.temp(n.input(0));
            s.temp(n.input(1));
            s.temp(n.output(0));
        });
        put(m, BuiltinOperator.SQUEEZE, abi -> CStruct.of(abi).int32s(8).int32().build(), null,
                KernelFootprints::prepareInputThenOutput);
        put(m, BuiltinOperator.EXPAND_DIMS, null, null, (n, s) -> {
            s.temp(n.input(0));
            s.temp(n.input(1));
            s.temp(n.output(0));
        });
        TABLE = Collections.unmodifiableMap(m);
    }

    private KernelFootprints() {
    }

    private static void put(Map<BuiltinOperator, Footprint> m, BuiltinOperator op, Function<Abi, CStruct> params,
                            Function<Abi, CStruct> opData, Prepare prepare) {
        m.put(op, new Footprint(op, true, params, opData, prepare));
    }

    /** The footprint of {@code op}: exact for ops in the table, otherwise an estimate. */
    public static Footprint of(BuiltinOperator op) {
        Footprint f = op == null ? null : TABLE.get(op);
        if (f != null) {
            return f;
        }
        return new Footprint(op, false, null, null, (n, s) -> {
            n.tempAllInputs(s);
            n.tempAllOutputs(s);
        });
    }

    /** Whether the table models {@code op} exactly. */
    public static boolean isExact(BuiltinOperator op) {
        return op != null && TABLE.containsKey(op);
    }

    // ---- builtin options structs (micro/builtin_op_data.h) -------------------------------------------------------

    private static CStruct fullyConnectedParams(Abi abi) {
        // activation, weights_format, keep_num_dims, asymmetric_quantize_inputs, quantized_bias_type
        return CStruct.of(abi).cEnum().cEnum().bool().bool().cEnum().build();
    }

    private static CStruct convParams(Abi abi) {
        // padding, stride_w, stride_h, activation, dilation_w, dilation_h, quantized_bias_type
        return CStruct.of(abi).cEnum().int32s(2).cEnum().int32s(2).cEnum().build();
    }

    private static CStruct depthwiseConvParams(Abi abi) {
        // padding, stride_w, stride_h, depth_multiplier, activation, dilation_w, dilation_h
        return CStruct.of(abi).cEnum().int32s(3).cEnum().int32s(2).build();
    }

    private static CStruct paddingValues(Abi abi) {
        return CStruct.of(abi).int32s(4).build(); // TfLitePaddingValues
    }

    private static CStruct poolParams(Abi abi) {
        // padding, stride_w, stride_h, filter_w, filter_h, activation, computed.padding
        return CStruct.of(abi).cEnum().int32s(4).cEnum().struct(paddingValues(abi)).build();
    }

    private static CStruct reshapeParams(Abi abi) {
        return CStruct.of(abi).int32s(8).int32().build();
    }

    private static CStruct activationAndBool(Abi abi) {
        return CStruct.of(abi).cEnum().bool().build(); // TfLiteAddParams, TfLiteSubParams
    }

    // ---- OpData structs (kernels/*.h and kernels/internal/types.h) ----------------------------------------------

    private static CStruct opDataFullyConnected(Abi abi) {
        // 8 int32 fields, filter_buffer_index, per-channel multiplier and shift pointers, is_per_channel
        return CStruct.of(abi).int32s(8).int32().pointers(2).bool().build();
    }

    private static CStruct opDataConv(Abi abi) {
        // padding, input/filter/output zero points, output multiplier and shift, per-channel pointers,
        // activation min/max, filter_buffer_index
        return CStruct.of(abi).struct(paddingValues(abi)).int32s(5).pointers(2).int32s(3).build();
    }

    private static CStruct opDataPooling(Abi abi) {
        return CStruct.of(abi).struct(paddingValues(abi)).int32s(2).float32().float32().build();
    }

    private static CStruct softmaxParams(Abi abi) {
        // double beta, 7 int32/float fields, 5 table pointers
        return CStruct.of(abi).float64().int32s(7).pointers(5).build();
    }

    private static CStruct fourInts(Abi abi) {
        return CStruct.of(abi).int32s(4).build(); // OpDataLogistic, tanh OpData, ReluOpData
    }

    private static CStruct hardSwishParams(Abi abi) {
        return CStruct.of(abi).int16s(3).int32().int16().int32().build();
    }

    private static CStruct opDataAdd(Abi abi) {
        return CStruct.of(abi).bool().int32s(12).float32().float32().build();
    }

    private static CStruct opDataSub(Abi abi) {
        return CStruct.of(abi).bool().int32s(12).build();
    }

    private static CStruct opDataPad(Abi abi) {
        CStruct padParams = CStruct.of(abi).int8().int32s(5).int8().int32s(5).int8().build();
        return CStruct.of(abi).struct(padParams).int32().build();
    }

    private static CStruct concatenationParams(Abi abi) {
        // axis (int8), input_zeropoint, input_scale, inputs_count (uint16), output_zeropoint, output_scale
        return CStruct.of(abi).int8().pointers(2).int16().int32().float32().build();
    }

    private static CStruct opDataQuantize(Abi abi) {
        CStruct quantizationParams = CStruct.of(abi).int32().float64().build();
        return CStruct.of(abi).struct(quantizationParams).int32s(3).build();
    }

    private static CStruct opDataDequantize(Abi abi) {
        CStruct dequantizationParams = CStruct.of(abi).float64().int32().build();
        return CStruct.of(abi).struct(dequantizationParams).int32s(3).build();
    }

    private static CStruct stridedSliceParams(Abi abi) {
        return CStruct.of(abi).int8().int32s(5).int8().int32s(5).int8().int32s(5).int16s(5).bool().build();
    }

    // ---- Prepare ------------------------------------------------------------------------------------------------

    private static void prepareInputThenOutput(Node n, PrepareSink s) {
        s.temp(n.input(0));
        s.temp(n.output(0));
    }

    private static void prepareBinary(Node n, PrepareSink s) {
        s.temp(n.input(0));
        s.temp(n.input(1));
        s.temp(n.output(0));
    }

    private static boolean isPerChannel(Tensor t) {
        Quantization q = t.quantization();
        return q.channelCount() > 1 && q.zeroPoints().length > 0;
    }

    private static long elements(Tensor t) {
        return t.elementCount();
    }

    private static void prepareFullyConnected(Node n, PrepareSink s) {
        s.temp(n.input(0));
        s.temp(n.input(1));
        s.temp(n.input(2));
        s.temp(n.output(0));
        Tensor input = n.inputTensor(0);
        Tensor filter = n.inputTensor(1);
        if (filter != null && filter.type() == TensorType.INT4) {
            s.scratch(elements(filter));
        }
        if (input != null && filter != null && input.type() != TensorType.FLOAT32 && isPerChannel(filter)) {
            int channels = filter.quantization().channelCount();
            s.persistent("per-channel output multipliers", 4L * channels);
            s.persistent("per-channel output shifts", 4L * channels);
        }
    }

    private static void prepareConvolution(Node n, PrepareSink s, int channelDim, boolean scratchBeforeOpData) {
        s.temp(n.output(0));
        s.temp(n.input(0));
        s.temp(n.input(1));
        Tensor filter = n.inputTensor(1);
        int channels = filter != null && filter.rank() > channelDim ? filter.dim(channelDim) : 0;
        s.persistent("per-channel output multipliers", 4L * channels);
        s.persistent("per-channel output shifts", 4L * channels);
        boolean int4 = filter != null && filter.type() == TensorType.INT4;
        if (int4 && scratchBeforeOpData) {
            s.scratch(elements(filter));
        }
        s.temp(n.input(0));
        s.temp(n.input(1));
        s.temp(n.input(2));
        s.temp(n.output(0));
        if (int4 && !scratchBeforeOpData) {
            s.scratch(elements(filter));
        }
    }

    private static void prepareReshape(Node n, PrepareSink s) {
        s.temp(n.input(0));
        s.temp(n.output(0));
        Tensor out = n.outputTensor(0);
        if (out != null) {
            for (int d : out.shape()) {
                if (d == -1) { // the stretch dimension gets writable dims in the tail
                    s.persistent("writable output dims", TflmStructs.intArrayBytes(out.rank()));
                    break;
                }
            }
        }
    }

    private static void prepareSoftmax(Node n, PrepareSink s) {
        s.temp(n.input(0));
        s.temp(n.output(0));
        Tensor input = n.inputTensor(0);
        if (input != null && input.type() == TensorType.INT16) {
            s.persistent("exp lookup table", 2L * 513);
            s.persistent("1/(1+x) lookup table", 2L * 513);
        }
    }

    private static void prepareMean(Node n, PrepareSink s) {
        s.temp(n.input(0));
        s.temp(n.output(0));
        s.temp(n.input(1));
        Tensor input = n.inputTensor(0);
        Tensor output = n.outputTensor(0);
        if (input != null && output != null
                && (input.type() == TensorType.INT8 || input.type() == TensorType.INT16)) {
            s.scratch(4L * elements(output));
        }
    }

    private static void preparePad(Node n, PrepareSink s) {
        s.temp(n.input(0));
        s.temp(n.input(1));
        if (n.inputs().length == 3) {
            s.temp(n.input(2));
        }
        s.temp(n.output(0));
    }

    private static void prepareConcatenation(Node n, PrepareSink s) {
        s.temp(n.input(0));
        s.temp(n.output(0));
        n.tempAllInputs(s);
        s.temp(n.output(0));
        Tensor out = n.outputTensor(0);
        if (out != null && out.type() == TensorType.INT8) {
            int count = n.inputs().length;
            s.persistent("input scales", 4L * count);
            s.persistent("input zero points", 4L * count);
            n.tempAllInputs(s);
        }
    }
}
