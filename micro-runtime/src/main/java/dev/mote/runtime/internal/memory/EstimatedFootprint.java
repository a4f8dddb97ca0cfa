package dev.mote.runtime.internal.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The estimate for an operator that no Mote kernel prepared (none is registered for it, or its kernel refused the
 * node): no options struct, no {@code OpData}, and a temporary tensor for every input and output. It is flagged
 * ({@link OperatorFootprint#isEstimate()}) so that reports say the figure is not exact and which operator it is;
 * it is not an upper bound (a real kernel's {@code OpData}, persistent buffers and scratch are not in it).
 */
public final class EstimatedFootprint {
    private EstimatedFootprint() {
    }

    /**
     * The estimate for an operator with these input and output tensor indices; {@code detail} says why no kernel
     * declared its footprint ({@code null} when simply no kernel is registered for the op).
     */
    public static OperatorFootprint of(int[] inputs, int[] outputs, String detail) {
        List<OperatorFootprint.PrepareStep> prepare = new ArrayList<>();
        for (int t : inputs) {
            prepare.add(new OperatorFootprint.TempTensor(t));
        }
        for (int t : outputs) {
            prepare.add(new OperatorFootprint.TempTensor(t));
        }
        return OperatorFootprint.estimated(prepare, detail);
    }
}
