package dev.mote.vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void convolutionCountsEveryOutputTimesItsWindow() {
        // 3x3 conv, 8 -> 16 channels, 32x32 output: 32*32*16 outputs, each 3*3*8 products
        assertEquals(32L * 32 * 16 * 72, Workload.macs(BuiltinOperator.CONV_2D,
                List.of(new int[] {1, 32, 32, 8}, new int[] {16, 3, 3, 8}, new int[] {16}),
                new int[] {1, 32, 32, 16}).getAsLong());
    }

    @Test
    void depthwiseCountsOneChannelPerOutput() {
        assertEquals(10L * 10 * 24 * 25, Workload.macs(BuiltinOperator.DEPTHWISE_CONV_2D,
                Arrays.asList(new int[] {1, 10, 10, 24}, new int[] {1, 5, 5, 24}, null),
                new int[] {1, 10, 10, 24}).getAsLong());
    }

    @Test
    void helloWorldIs288MacsByHand() {
        // 1 -> 16 -> 16 -> 1: 16 + 256 + 16
        long total = Workload.macs(BuiltinOperator.FULLY_CONNECTED, List.of(new int[] {1, 1}, new int[] {16, 1}),
                new int[] {1, 16}).getAsLong()
                + Workload.macs(BuiltinOperator.FULLY_CONNECTED, List.of(new int[] {1, 16}, new int[] {16, 16}),
                new int[] {1, 16}).getAsLong()
                + Workload.macs(BuiltinOperator.FULLY_CONNECTED, List.of(new int[] {1, 16}, new int[] {1, 16}),
                new int[] {1, 1}).getAsLong();
        assertEquals(288, total);
    }

    @Test
    void transposeConvCountsEveryInputTimesTheFilter() {
        // output_shape, filter [outC, kH, kW, inC], input
        assertEquals(4L * 4 * 3 * 6 * 3 * 3, Workload.macs(BuiltinOperator.TRANSPOSE_CONV,
                List.of(new int[] {4}, new int[] {6, 3, 3, 3}, new int[] {1, 4, 4, 3}),
                new int[] {1, 8, 8, 6}).getAsLong());
    }

    @Test
    void movingOpsDoNoneAndUnmodelledOpsSaySo() {
        assertEquals(0, Workload.macs(BuiltinOperator.RESHAPE, List.of(new int[] {1, 10}), new int[] {10})
                .getAsLong());
        assertEquals(0, Workload.macs(BuiltinOperator.MAX_POOL_2D, List.of(new int[] {1, 4, 4, 2}),
                new int[] {1, 2, 2, 2}).getAsLong());
        assertTrue(Workload.macs(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, List.of(new int[] {1, 28, 28}),
                new int[] {1, 28, 20}).isEmpty());
        assertTrue(Workload.macs(BuiltinOperator.CONV_2D, Arrays.asList(new int[] {1, 4, 4, 1}, null),
                new int[] {1, 4, 4, 1}).isEmpty());
    }

    @Test
    void hugeShapesSaturateInsteadOfWrapping() {
        assertEquals(Long.MAX_VALUE, Workload.macs(BuiltinOperator.FULLY_CONNECTED,
                List.of(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE}, new int[] {Integer.MAX_VALUE,
                        Integer.MAX_VALUE}), new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE})
                .getAsLong());
    }
}
