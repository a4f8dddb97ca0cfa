package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

/**
 * What MAX_POOL_2D and AVERAGE_POOL_2D validate and precompute alike (TFLM's {@code PoolingPrepare}): the window
 * geometry from {@code Pool2DOptions}, matching input and output types and channels, equal input and output
 * quantization for int8 and int16 (scales within 1e-6, same zero point, as TFLM requires) and the fused activation's
 * range (int8 or int16).
 */
public final class PoolingParameters {
    /** The int8 geometry and activation range of one prepared pooling node (the C code generator emits these). */
    public record Int8(int batches, int inHeight, int inWidth, int depth, int outHeight, int outWidth,
                       int filterHeight, int filterWidth, int strideHeight, int strideWidth, int padHeight,
                       int padWidth, int actMin, int actMax) {
    }

    /** This node's {@link Int8} parameters, or null for float32 and int16. */
    Int8 int8() {
        ConvolutionGeometry g = geometry;
        return quantized && !int16 ? new Int8(batches, g.inHeight(), g.inWidth(), depth, g.outHeight(), g.outWidth(),
                g.filterHeight(), g.filterWidth(), g.strideHeight(), g.strideWidth(), g.padHeight(), g.padWidth(),
                actMin, actMax) : null;
    }

    final ConvolutionGeometry geometry;
    final boolean quantized;
    /** Whether the tensors are int16 (then {@link #quantized} too). */
    final boolean int16;
    final int batches;
    final int depth;
    final int actMin;
    final int actMax;
    final float floatMin;
    final float floatMax;

    private PoolingParameters(ConvolutionGeometry geometry, boolean quantized, boolean int16, int batches, int depth,
                              int actMin, int actMax, float floatMin, float floatMax) {
        this.geometry = geometry;
        this.quantized = quantized;
        this.int16 = int16;
        this.batches = batches;
        this.depth = depth;
        this.actMin = actMin;
        this.actMax = actMax;
        this.floatMin = floatMin;
        this.floatMax = floatMax;
    }

    /**
     * TFLM's {@code TfLitePoolParams}: padding, stride_w, stride_h, filter_width, filter_height, activation,
     * computed.padding.
     */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().int32s(4).cEnum().struct(ConvolutionGeometry.paddingValues(abi)).build();
    }

    /** TFLM's {@code OpDataPooling}: padding, activation min/max (int32), activation min/max (float). */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).struct(ConvolutionGeometry.paddingValues(abi)).int32s(2).float32().float32().build();
    }

    /**
     * Validates a pooling node (naming the failing field) and returns its parameters. Declares what TFLM's pooling
     * kernels allocate: the options, {@code OpDataPooling}, and temporary input and output tensors in prepare.
     */
    static PoolingParameters prepare(NodeContext node) {
        node.requireArity(1, 1, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        BuiltinOptions.Pool2D options = node.options(BuiltinOptions.Pool2D.class);
        if (options == null) {
            throw node.fail("builtin_options", node.op() + " needs Pool2DOptions (stride and filter size have no "
                    + "default)");
        }
        Activation activation = FusedActivation.parse(node, options.activation());
        if (options.filterW() < 1) {
            throw node.fail("filter_width", "must be >= 1, got " + options.filterW());
        }
        if (options.filterH() < 1) {
            throw node.fail("filter_height", "must be >= 1, got " + options.filterH());
        }
        ConvolutionGeometry geometry = ConvolutionGeometry.prepare(node, options.padding(), options.strideW(),
                options.strideH(), 1, 1, input, options.filterH(), options.filterW(), output);
        if (output.dim(3) != input.dim(3)) {
            throw node.fail("output", "has " + output.dim(3) + " channels, the input has " + input.dim(3));
        }
        node.requireType(input, "input", TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        node.requireType(output, "output", input.type());
        if (input.type() == TensorType.FLOAT32) {
            QuantizedMath.FloatRange range = QuantizedMath.activationRange(activation);
            return new PoolingParameters(geometry, false, false, input.dim(0), input.dim(3), 0, 0, range.min(), range.max());
        }
        if (activation == Activation.NONE && input.quantization().isQuantized()
                && input.quantization().zeroPoints().length == 0 && output.quantization().isQuantized()
                && output.quantization().zeroPoints().length == 0) {
            // Neither has zero points: TFLM reads both as (0, 0), which match, and pools the raw values.
            node.warn(ModelWarning.Kind.QUANTIZATION, "quantization.zero_point", "input and output have scales but "
                    + "no zero points (TFLM reads them as not quantized; int8 pooling without an activation reads "
                    + "neither)");
        } else if (activation == Activation.NONE) {
            // int8 pooling reads no scale but for its fused activation's clamp (round(0 / scale) ...): without one,
            // a scale of 0 is never used, and TFLM runs it.
            TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input, "input");
            TensorChecks.requirePerTensorQuantizationOrZeroScale(node, output, "output");
        } else {
            TensorChecks.requirePerTensorQuantization(node, input, "input");
            TensorChecks.requirePerTensorQuantization(node, output, "output");
        }
        if (Math.abs((double) input.scale() - (double) output.scale()) > 1.0e-6) {
            throw node.fail("output.quantization", "scale " + output.scale() + " differs from the input's "
                    + input.scale() + " (quantized pooling does not rescale)");
        }
        if (input.zeroPoint() != output.zeroPoint()) {
            throw node.fail("output.quantization", "zero point " + output.zeroPoint() + " differs from the input's "
                    + input.zeroPoint() + " (quantized pooling does not rescale)");
        }
        boolean int16 = input.type() == TensorType.INT16;
        QuantizedMath.IntRange range = QuantizedMath.activationRange(activation, output.scale(), output.zeroPoint(),
                int16 ? Short.MIN_VALUE : Byte.MIN_VALUE, int16 ? Short.MAX_VALUE : Byte.MAX_VALUE);
        return new PoolingParameters(geometry, true, int16, input.dim(0), input.dim(3), range.min(), range.max(), 0f, 0f);
    }
}
