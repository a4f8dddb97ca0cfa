package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

/**
 * SVDF's arena footprint as TFLM's reference kernel allocates it ({@code svdf.cc} {@code Init},
 * {@code svdf_common.cc} {@code PrepareSvdf}); Mote does not compute SVDF. Inputs: 0 input {@code [batch, input]},
 * 1 weights feature {@code [filters, input]}, 2 weights time {@code [filters, memory]}, 3 bias (optional),
 * 4 activation state (a variable tensor, which TFLM allocates from its persistent area: the arena accounting adds
 * every variable tensor).
 */
public final class Svdf extends FootprintOnlyKernel {

    /** TFLM's {@code TfLiteSVDFParams}: rank, activation, asymmetric_quantize_inputs. */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).int32().cEnum().bool().build();
    }

    /** TFLM's {@code OpDataSvdf} ({@code micro/kernels/svdf.h}): nine int32-sized fields. */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(9).build();
    }

    /**
     * {@code PrepareSvdf}: temporary tensors for inputs 0 to 4 (none for an omitted bias) and the output; then for
     * int8 a scratch buffer of {@code batch * filters} int32 and one of {@code batch * units} int32, for float32
     * one of {@code batch * filters} floats.
     */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(5, 5, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        for (int i = 0; i < 5; i++) {
            node.allocateTempInputTensor(i);
        }
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor weightsFeature = node.requiredInput(1);
        BuiltinOptions.Svdf options = node.options(BuiltinOptions.Svdf.class);
        int rank = options == null ? 0 : options.rank();
        if (rank <= 0 || input.rank() != 2 || weightsFeature.rank() != 2) {
            throw node.fail("SVDF", "needs rank >= 1 and 2-D input and weights feature (TFLM's PrepareSvdf)");
        }
        int batch = input.dim(0);
        int filters = weightsFeature.dim(0);
        node.requestScratch(4 * batch * filters);
        if (input.type() == TensorType.INT8) {
            node.requestScratch(4 * batch * (filters / rank));
        }
    }
}
