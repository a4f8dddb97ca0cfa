package dev.mote.runtime.internal.memory;

import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The footprint of an operator that nothing in Mote models exactly (no kernel or footprint declaration for its op,
 * or its declaration refused the node): an upper bound of what a TFLM reference kernel allocates, flagged ({@link
 * OperatorFootprint#isEstimate()}) so that reports say which operator it is and that the figure is not exact.
 *
 * <p>The bound takes, beside the framework's own allocations (which the accounting always models exactly), more than
 * any TFLM reference kernel of tflite-micro 90b983c2 was seen to take in each category:
 * <ul>
 *   <li>options: {@value #BUILTIN_DATA_BYTES} bytes (TFLM's largest {@code TfLite*Params} are well below);</li>
 *   <li>{@code OpData}: {@value #OP_DATA_BYTES} bytes (the largest, LSTM's {@code OpDataLSTM}, is 688);</li>
 *   <li>temporary tensors: every input and output {@value #TEMP_REPEATS} times (kernels take some twice);</li>
 *   <li>persistent buffers: {@value #PERSISTENT_BYTES} bytes (int16 SOFTMAX's two lookup tables take 2,080) plus 16
 *       bytes per quantization channel of every input and output (per-channel multipliers, shifts and folded
 *       biases take at most 12);</li>
 *   <li>scratch: one buffer of twice the bytes of all inputs and outputs, constants included (INT4 filters are
 *       unpacked to one byte per element; reductions and MEAN accumulate in int32 per output element).</li>
 * </ul>
 * Checked against real TFLM for the ops Mote models exactly (with their declarations left out) and for the
 * configurations Mote's kernels refuse ({@code ArenaUpperBoundTflmTest}); an op outside these may exceed it.
 */
public final class EstimatedFootprint {
    static final int BUILTIN_DATA_BYTES = 256;
    static final int OP_DATA_BYTES = 1024;
    static final int TEMP_REPEATS = 3;
    static final int PERSISTENT_BYTES = 4096;
    private static final int PER_CHANNEL_BYTES = 16;

    private EstimatedFootprint() {
    }

    /**
     * The upper-bound estimate for operator {@code inputs} → {@code outputs} of {@code subgraph}; {@code detail} says
     * why nothing modeled it exactly ({@code null} when simply no kernel is registered for the op).
     */
    public static OperatorFootprint upperBound(Subgraph subgraph, int[] inputs, int[] outputs, String detail) {
        List<Integer> tensors = new ArrayList<>();
        for (int t : inputs) {
            if (t >= 0 && t < subgraph.tensors().size()) {
                tensors.add(t);
            }
        }
        for (int t : outputs) {
            if (t >= 0 && t < subgraph.tensors().size()) {
                tensors.add(t);
            }
        }
        List<OperatorFootprint.PrepareStep> prepare = new ArrayList<>();
        for (int r = 0; r < TEMP_REPEATS; r++) {
            for (int t : tensors) {
                prepare.add(new OperatorFootprint.TempTensor(t));
            }
        }
        long channels = 0;
        long bytes = 0;
        for (int t : tensors) {
            Tensor decl = subgraph.tensor(t);
            Quantization q = decl.quantization();
            channels += Math.max(0, q.channelCount());
            bytes += TflmMemoryPlan.tensorBytes(decl);
        }
        prepare.add(new OperatorFootprint.PersistentBuffer("upper bound of the kernel's persistent buffers",
                PERSISTENT_BYTES + PER_CHANNEL_BYTES * channels));
        prepare.add(new OperatorFootprint.Scratch(2 * bytes));
        return OperatorFootprint.estimated(CStruct.opaque(BUILTIN_DATA_BYTES, 8), CStruct.opaque(OP_DATA_BYTES, 8),
                prepare, detail);
    }
}
