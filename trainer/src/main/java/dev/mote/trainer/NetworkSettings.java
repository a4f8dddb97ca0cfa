package dev.mote.trainer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Arrays;

/**
 * Training settings applied to a network after {@link NetworkFactory} built it: a {@link LearningRateSchedule}
 * installed in every layer's Adam as an {@link ISchedule} (DL4J's updater then reads the rate at each step), class
 * weights set on the softmax cross-entropy loss, and DL4J's epoch counter, which the training loop advances (it fits
 * one mini-batch at a time, so DL4J would not).
 */
final class NetworkSettings {

    private NetworkSettings() {
    }

    /**
     * DL4J's view of a {@link LearningRateSchedule}: the step and epoch count from the network's counters when the
     * schedule was installed, so a network that trained before (QAT after float training) starts at epoch 1 again.
     */
    record Schedule(LearningRateSchedule schedule, int firstIteration, int firstEpoch) implements ISchedule {
        @Override
        public double valueAt(int iteration, int epoch) {
            return schedule.at(Math.max(1, epoch - firstEpoch + 1), Math.max(0, iteration - firstIteration));
        }

        @Override
        public ISchedule clone() {
            return this; // immutable
        }
    }

    /** Installs {@code schedule} in every layer's updater. */
    static void install(SpecNetwork net, LearningRateSchedule schedule) {
        Model m = net.model();
        if (m instanceof MultiLayerNetwork chain) {
            chain.setLearningRate(new Schedule(schedule, chain.getIterationCount(), chain.getEpochCount()));
        } else {
            ComputationGraph graph = (ComputationGraph) m;
            graph.setLearningRate(new Schedule(schedule, graph.getIterationCount(), graph.getEpochCount()));
        }
    }

    /** Tells DL4J an epoch ended (the schedule's epoch comes from this counter). */
    static void epochEnded(SpecNetwork net) {
        Model m = net.model();
        if (m instanceof MultiLayerNetwork chain) {
            chain.incrementEpochCount();
        } else {
            ((ComputationGraph) m).incrementEpochCount();
        }
    }

    /**
     * The learning rate DL4J's updater would use for the next step, read from the first layer with parameters
     * (NaN if none has an updater).
     */
    static double learningRate(SpecNetwork net) {
        Model m = net.model();
        if (m instanceof MultiLayerNetwork chain) {
            for (int i = 0; i < chain.getnLayers(); i++) {
                Double lr = chain.getLearningRate(i);
                if (lr != null) {
                    return lr;
                }
            }
        } else {
            ComputationGraph graph = (ComputationGraph) m;
            for (Layer l : graph.getLayers()) {
                Double lr = graph.getLearningRate(l.conf().getLayer().getLayerName());
                if (lr != null) {
                    return lr;
                }
            }
        }
        return Double.NaN;
    }

    /**
     * Weights the softmax cross-entropy of class {@code i} by {@code weights[i]}.
     *
     * @throws IllegalArgumentException if the model does not end in a softmax trained with cross-entropy, or the
     *                                  number of weights is not its number of classes
     */
    static void classWeights(SpecNetwork net, float[] weights) {
        Model m = net.model();
        Layer out = m instanceof MultiLayerNetwork chain ? chain.getOutputLayer()
                : ((ComputationGraph) m).getOutputLayer(0);
        ILossFunction loss = out.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.LossLayer l
                ? l.getLossFn() : null;
        if (!(loss instanceof LossMCXENT mcxent)) {
            throw new InvalidConfigurationException("class weights need a model " + net.spec().name() + " that ends in a "
                    + "softmax trained with cross-entropy (loss AUTO or CROSS_ENTROPY); its loss is " + loss);
        }
        long classes = net.spec().outputShape().elementCount();
        if (weights.length != classes) {
            throw new InvalidConfigurationException(weights.length + " class weights " + Arrays.toString(weights)
                    + " for model " + net.spec().name() + " with " + classes + " classes");
        }
        mcxent.setWeights(Nd4j.create(new float[][] {weights.clone()}));
    }
}
