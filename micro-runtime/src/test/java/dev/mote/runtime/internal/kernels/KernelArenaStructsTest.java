package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.ModelFootprints;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The TFLM structs the kernels declare, against the sizes of TFLM's definitions. */
class KernelArenaStructsTest {

    @Test
    void opDataStructsFollowTflmDefinitions() {
        assertEquals(72, ConvolutionKernel.opData(Abi.LP64).size());
        assertEquals(56, ConvolutionKernel.opData(Abi.ARM_EABI_SHORT_ENUMS).size());
        assertEquals(64, FullyConnected.opData(Abi.LP64).size());
        assertEquals(80, Softmax.opData(Abi.LP64).size());
        assertEquals(32, PoolingParameters.opData(Abi.ARM_EABI_SHORT_ENUMS).size());
        assertEquals(40, PoolingParameters.builtinData(Abi.ARM_EABI_SHORT_ENUMS).size());
        assertEquals(60, new Add().opData(Abi.LP64).size());
        assertEquals(56, Pad.opData(Abi.LP64).size());
        assertNull(reshapeFootprintOpData());
    }

    /** RESHAPE has no {@code Init}, so its kernel declares no OpData. */
    private static Object reshapeFootprintOpData() {
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.FLOAT32, new int[] {1, 4}, Quantization.NONE);
        int y = b.addTensor("y", TensorType.FLOAT32, new int[] {4}, Quantization.NONE);
        b.addOperator(BuiltinOperator.RESHAPE, 1, BuiltinOptions.NONE, new int[] {x}, new int[] {y});
        b.addOutput(y);
        var footprint = ModelFootprints.record(b.toBytes(), OpResolver.allBuiltins(), ArenaTarget.HOST_64)
                .operator(0, 0);
        assertFalse(footprint.isEstimate(), String.valueOf(footprint.estimateDetail()));
        return footprint.opData();
    }
}
