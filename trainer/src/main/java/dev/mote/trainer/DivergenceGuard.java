package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.plan.TensorPlan;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;
import java.util.Map;

/**
 * Catches training that diverges without a NaN or infinite loss (those stop the batch at once, see
 * {@link TrainingLoop}): checked after every epoch, it throws a {@link TrainingDivergedException} when
 *
 * <ul>
 *   <li>a weight or bias is NaN or infinite;</li>
 *   <li>a weight or bias exceeds {@value #PARAMETER_LIMIT} in magnitude (or {@value #PARAMETER_GROWTH} times the
 *       largest one at the start, if that is more, so that fine-tuning a model that already has big weights is
 *       left alone);</li>
 *   <li>the epoch's training loss has been above {@value #LOSS_FACTOR} times the starting loss for
 *       {@value #LOSS_EPOCHS} epochs in a row.</li>
 * </ul>
 *
 * <p>Why these bounds: on normalized inputs (which the int8 export's 8-bit per-tensor ranges want anyway) the
 * samples train to weights below 10 and a loss that falls from the first epoch on; Adam moves a parameter by at
 * most about the learning rate per step, so {@value #PARAMETER_LIMIT} is out of reach of sane settings
 * (1e-3 × 10,000 steps is 10) yet far below the 1e6 a learning rate of 1e6 reaches in one step; an int8 tensor
 * holding such weights keeps only the few largest of them. A loss {@value #LOSS_FACTOR} times the untrained
 * model's for {@value #LOSS_EPOCHS} epochs is worse than predicting nothing; a single epoch's spike is tolerated.
 * BatchNorm's running mean and variance are statistics of the data, not learned, and are not checked.
 */
final class DivergenceGuard {

    static final double PARAMETER_LIMIT = 1e4;
    static final double PARAMETER_GROWTH = 100;
    static final double LOSS_FACTOR = 100;
    static final int LOSS_EPOCHS = 3;
    /** Starting losses below this count as this (a model that starts perfect must not trip at any rise). */
    private static final double LOSS_FLOOR = 1e-6;

    private final String phase;
    private final double learningRate;
    private final SpecNetwork net;
    private final double startLoss;
    private final double parameterLimit;
    private final double startParameters;
    private int epochsAbove;
    private final double[] recent = new double[LOSS_EPOCHS];
    /** The nodes with learned parameters: weights (as the int8 export plans them) or BatchNorm. */
    private final int[] parameterNodes;

    /**
     * @param startLoss the loss of the network before this phase's first update (inference mode, on the
     *                  validation split or a training sample)
     */
    DivergenceGuard(String phase, double learningRate, SpecNetwork net, double startLoss) {
        this.phase = phase;
        this.learningRate = learningRate;
        this.net = net;
        this.startLoss = startLoss;
        TensorPlan plan = TensorPlan.of(net.spec());
        this.parameterNodes = net.spec().nodes().stream()
                .filter(n -> plan.weights(n.index()) != null || n.layer() instanceof LayerSpec.BatchNorm)
                .mapToInt(LayerNode::index).toArray();
        double largest = 0;
        for (int i : parameterNodes) {
            for (Map.Entry<String, INDArray> p : learned(i)) {
                double m = p.getValue().amaxNumber().doubleValue();
                if (Double.isFinite(m)) {
                    largest = Math.max(largest, m);
                }
            }
        }
        this.startParameters = largest;
        this.parameterLimit = Math.max(PARAMETER_LIMIT, PARAMETER_GROWTH * largest);
    }

    /** Checks the network after {@code epoch} (1-based), whose mean training loss was {@code loss}. */
    void epoch(int epoch, double loss) {
        checkParameters(epoch, loss);
        double threshold = LOSS_FACTOR * Math.max(startLoss, LOSS_FLOOR);
        if (Double.isFinite(startLoss) && loss > threshold) {
            recent[epochsAbove % LOSS_EPOCHS] = loss;
            if (++epochsAbove >= LOSS_EPOCHS) {
                StringBuilder losses = new StringBuilder();
                for (int k = LOSS_EPOCHS - 1; k >= 0; k--) {
                    losses.append(losses.length() == 0 ? "" : ", ").append(num(recent[(epochsAbove - 1 - k)
                            % LOSS_EPOCHS]));
                }
                throw new TrainingDivergedException(phase, epoch, loss, "the training loss has stayed above "
                        + num(LOSS_FACTOR) + " times the starting loss " + num(startLoss) + " for " + LOSS_EPOCHS
                        + " epochs (epochs " + (epoch - LOSS_EPOCHS + 1) + "-" + epoch + ": " + losses + ")",
                        advice());
            }
        } else {
            epochsAbove = 0;
        }
    }

    private void checkParameters(int epoch, double loss) {
        for (int i : parameterNodes) {
            for (Map.Entry<String, INDArray> p : learned(i)) {
                INDArray values = p.getValue();
                double largest = values.amaxNumber().doubleValue();
                double sum = values.sumNumber().doubleValue();
                String which = "layer " + i + " '" + net.spec().node(i).name() + "' " + kind(p.getKey());
                if (!Double.isFinite(largest) || !Double.isFinite(sum)) {
                    throw new TrainingDivergedException(phase, epoch, loss, which + " became NaN or infinite",
                            advice());
                }
                if (largest > parameterLimit) {
                    throw new TrainingDivergedException(phase, epoch, loss, which + " exploded to magnitude "
                            + num(largest) + " (limit " + num(parameterLimit) + "; the largest parameter was "
                            + num(startParameters) + " at the start)", advice());
                }
            }
        }
    }

    /** Node {@code i}'s learned parameters (weights, biases, BatchNorm gamma/beta), none for a parameterless node. */
    private Iterable<Map.Entry<String, INDArray>> learned(int node) {
        Layer layer = net.layer(node);
        if (layer == null || layer.numParams() == 0) {
            return java.util.List.of();
        }
        java.util.List<Map.Entry<String, INDArray>> out = new java.util.ArrayList<>();
        for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
            String key = p.getKey();
            if (!key.equals("mean") && !key.equals("var") && !key.equals("log10stdev")) {
                out.add(p);
            }
        }
        return out;
    }

    private static String kind(String key) {
        return switch (key) {
            case "W" -> "weights";
            case "RW" -> "recurrent weights";
            case "b" -> "biases";
            case "gamma" -> "BatchNorm scale";
            case "beta" -> "BatchNorm offset";
            default -> "parameters '" + key + "'";
        };
    }

    private String advice() {
        return "lower the learning rate (now " + num(learningRate) + "; 1e-3 to 1e-2 suit most small models),"
                + " normalize the inputs to about [-1, 1] and the regression targets to about unit scale, and check"
                + " the data";
    }

    private static String num(double v) {
        if (Math.abs(v) >= 1e4 || v != 0 && Math.abs(v) < 1e-3) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
