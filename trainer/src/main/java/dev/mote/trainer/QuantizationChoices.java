package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.Lowering;
import dev.mote.dsl.plan.PlannedWeights;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.vocabulary.QuantizationRules;

import java.util.Arrays;

/**
 * How a {@link TrainedModel} expects to be quantized: the facts the trainer simulated, so that the exporter
 * converts exactly what was calibrated or fine-tuned.
 *
 * These are the facts of the spec's one {@link TensorPlan} (and {@link QuantizationRules}), recorded with the
 * model so that they travel with it:
 * <ul>
 *   <li>Weights: symmetric int8 in {@code [-127, 127]} (zero point 0, scale {@code max|w| / 127}, values rounded
 *       half away from zero); per output channel for Conv2D (axis 0 of {@code [out, kh, kw, in]}) and
 *       DepthwiseConv2D (axis 3 of {@code [1, kh, kw, c * m]}), per tensor for Dense.</li>
 *   <li>Bias: left in float here; the exporter makes it int32 with scale {@code inputScale * weightScale}.</li>
 *   <li>Activations: asymmetric int8 per tensor; the range {@code [min, max]} is widened to contain 0 and
 *       mapped as TFLite does: {@code scale = (max - min) / 255}, {@code zeroPoint = round(-128 - min / scale)}
 *       clamped to {@code [-128, 127]}. Softmax and sigmoid outputs have the fixed range {@code [0, 255/256]}
 *       (scale 1/256, zero point -128), tanh {@code [-1, 127/128]} (scale 1/128, zero point 0).</li>
 *   <li>Tensors follow the exporter's {@link TensorPlan}: the input and every OP node have an int8
 *       tensor ({@link #isInt8Tensor(int)}); a fused RELU/RELU6, a folded BatchNorm and a removed Dropout are
 *       carried by the tensor of {@code Lowering.source(node)}. {@link TrainedModel#outputRange(int)} of every
 *       node is the range of the tensor that carries its value, i.e. of that tensor's final value: a Conv2D with a
 *       fused ReLU reports the post-ReLU range, as do the ReLU and a folded BatchNorm between them. Pass-through
 *       ops (RESHAPE, MAX_POOL_2D, AVERAGE_POOL_2D, MEAN, PAD) report their input's range; a CONCATENATION and the
 *       tensors it reads share one range.</li>
 * </ul>
 */
public final class QuantizationChoices {

    /** Where the activation ranges of a {@link TrainedModel} come from. */
    public enum RangeSource {
        /** Ranges observed by the float training data's forward pass (a rough default, not calibrated). */
        TRAINING_DATA,
        /** Minimum and maximum over a representative data set. */
        MIN_MAX,
        /** Symmetric percentiles over a representative data set (outliers clipped). */
        PERCENTILE,
        /** Moving averages tracked during quantization-aware fine-tuning. */
        QAT_MOVING_AVERAGE
    }

    private final RangeSource rangeSource;
    private final double percentile;
    private final boolean[] int8Tensor;
    private final boolean[] perChannel;

    QuantizationChoices(RangeSource rangeSource, double percentile, boolean[] int8Tensor, boolean[] perChannel) {
        this.rangeSource = rangeSource;
        this.percentile = percentile;
        this.int8Tensor = int8Tensor.clone();
        this.perChannel = perChannel.clone();
    }

    /** The choices for {@code plan} with ranges from {@code source} ({@code percentile} only for PERCENTILE). */
    static QuantizationChoices of(TensorPlan plan, RangeSource source, double percentile) {
        int n = plan.spec().nodes().size();
        boolean[] int8 = new boolean[n];
        boolean[] channel = new boolean[n];
        for (int i = 0; i < n; i++) {
            Lowering.Role role = plan.lowering().role(i);
            int8[i] = role == Lowering.Role.INPUT || role == Lowering.Role.OP;
            PlannedWeights w = plan.weights(i);
            channel[i] = w != null && w.channelAxis() >= 0;
        }
        return new QuantizationChoices(source, percentile, int8, channel);
    }

    /** Where the activation ranges come from. */
    public RangeSource rangeSource() {
        return rangeSource;
    }

    /** The percentile used for {@link RangeSource#PERCENTILE} (e.g. 99.99), otherwise NaN. */
    public double percentile() {
        return percentile;
    }

    /** True if node {@code nodeIndex}'s output is an int8 tensor of the exported model (see class comment). */
    public boolean isInt8Tensor(int nodeIndex) {
        return int8Tensor[nodeIndex];
    }

    /** True if node {@code nodeIndex}'s weights are quantized per output channel (Conv2D, DepthwiseConv2D). */
    public boolean weightsPerChannel(int nodeIndex) {
        return perChannel[nodeIndex];
    }

    /** The largest int8 weight magnitude (weights are symmetric in {@code [-127, 127]}). */
    public int weightQuantMax() {
        return QuantizationRules.WEIGHT_QMAX;
    }

    QuantizationChoices withRangeSource(RangeSource source, double newPercentile) {
        return new QuantizationChoices(source, newPercentile, int8Tensor, perChannel);
    }

    @Override
    public String toString() {
        return "QuantizationChoices[" + rangeSource + (Double.isNaN(percentile) ? "" : " " + percentile)
                + ", int8 tensors " + Arrays.toString(int8Tensor) + "]";
    }
}
