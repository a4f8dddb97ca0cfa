package dev.mote.runtime.internal.memory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Struct sizes against the values measured on real TFLM builds (../shared/models/README.md). */
class TflmStructsTest {

    @Test
    void host64SizesMatchTheX8664Build() {
        TflmStructs s = new TflmStructs(Abi.LP64);
        assertEquals(64, s.tfLiteTensor().size());
        assertEquals(24, s.evalTensor().size());
        assertEquals(64, s.nodeAndRegistration().size());
    }

    @Test
    void cortexMSizesMatchTheArmNoneEabiBuild() {
        TflmStructs s = new TflmStructs(Abi.ARM_EABI_SHORT_ENUMS);
        assertEquals(32, s.tfLiteTensor().size());
        assertEquals(12, s.evalTensor().size());
        assertEquals(28, s.node().size());
        assertEquals(32, s.nodeAndRegistration().size());
        assertEquals(36, s.microAllocator().size());
    }

    @Test
    void layoutPadsFieldsAndTheWholeStruct() {
        CStruct c = CStruct.of(Abi.LP64).int8().pointer().int8().build();
        assertEquals(24, c.size());
        assertEquals(8, c.align());
        CStruct d = CStruct.of(Abi.ARM_EABI_SHORT_ENUMS).cEnum().cEnum().bool().bool().cEnum().build();
        assertEquals(5, d.size()); // TfLiteFullyConnectedParams with short enums
        assertEquals(1, d.align());
        CStruct e = CStruct.of(Abi.ARM_EABI_SHORT_ENUMS).float64().int32s(7).pointers(5).build();
        assertEquals(56, e.size()); // SoftmaxParams: double keeps 8-byte alignment on AAPCS
    }
}
