package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.ModelSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassWeightsTest {

    static final ModelSpec TWO_CLASSES = Specs.input(2).then(Specs.dense(8)).then(Specs.act(ActivationKind.RELU))
            .then(Specs.dense(2)).then(Specs.act(ActivationKind.SOFTMAX)).build("two_classes");

    /** 95 % class 0 around (0, 0), 5 % class 1 around (1, 1), both with unit noise: heavily overlapping. */
    private static float[][] points(int n, long seed, int[] labels) {
        Random r = new Random(seed);
        float[][] x = new float[n][2];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextDouble() < 0.05 ? 1 : 0;
            x[i][0] = (float) (labels[i] + r.nextGaussian());
            x[i][1] = (float) (labels[i] + r.nextGaussian());
        }
        return x;
    }

    /** Minority recall counted here from the predicted classes: predicted 1 among the true 1s. */
    private static double minorityRecall(TrainedModel model, float[][] x, int[] labels) {
        int[] predicted = Predictor.floatModel(model).classify(x);
        int ones = 0;
        int found = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                ones++;
                found += predicted[i] == 1 ? 1 : 0;
            }
        }
        return (double) found / ones;
    }

    @Test
    void weightingTheRareClassRaisesItsRecall() {
        int[] trainLabels = new int[4000];
        float[][] train = points(4000, 1, trainLabels);
        int[] testLabels = new int[4000];
        float[][] test = points(4000, 2, testLabels);
        Trainer base = Trainer.builder().epochs(30).batchSize(200).learningRate(0.01).seed(3).progressBar(false)
                .build();
        TrainingData data = TrainingData.classification(train, trainLabels, 2);
        double unweighted = minorityRecall(base.train(TWO_CLASSES, data), test, testLabels);
        double weighted = minorityRecall(base.toBuilder().classWeights(1f, 19f).build().train(TWO_CLASSES, data),
                test, testLabels);
        // without weights the overlap goes to the majority (recall near 0); with 19:1 most of class 1 is found
        assertTrue(unweighted < 0.2, "unweighted minority recall " + unweighted);
        assertTrue(weighted > 0.6 && weighted > unweighted + 0.4, "weighted " + weighted + " vs " + unweighted);
    }

    @Test
    void theWeightsReachDl4jsLoss() {
        Trainer trainer = Trainer.builder().classWeights(Map.of(1, 4.0), 3).build();
        assertArrayEquals(new float[] {1f, 4f, 1f}, trainer.classWeights());
        SpecNetwork net = NetworkFactory.build(TestNets.mlp(), NetworkFactory.Options.of(
                NetworkFactory.Mode.FLOAT_TRAINING, 1, 1e-3, Loss.AUTO));
        NetworkSettings.classWeights(net, new float[] {1f, 2f, 3f, 4f});
        LossMCXENT loss = (LossMCXENT) ((org.deeplearning4j.nn.conf.layers.LossLayer)
                ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) net.model()).getOutputLayer().conf().getLayer())
                .getLossFn();
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, loss.getWeights().toFloatVector());
    }

    @Test
    void invalidWeightsAreRefused() {
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().classWeights(1f, 0f));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().classWeights(1f, -2f));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().classWeights(1f, Float.NaN));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().classWeights(Float.POSITIVE_INFINITY));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().classWeights(Map.of(3, 1f), 3));
        int[] labels = new int[50];
        TrainingData data = TrainingData.classification(points(50, 4, labels), labels, 2);
        InvalidConfigurationException count = assertThrows(InvalidConfigurationException.class, () -> Trainer.builder()
                .epochs(1).progressBar(false).classWeights(1f, 2f, 3f).build().train(TWO_CLASSES, data));
        assertTrue(count.getMessage().contains("3 class weights") && count.getMessage().contains("2 classes"),
                count.getMessage());
        InvalidConfigurationException regression = assertThrows(InvalidConfigurationException.class, () -> Trainer.builder()
                .epochs(1).progressBar(false).classWeights(1f).build()
                .train(TrainerTest.SINE, TrainerTest.sine(20, 1)));
        assertTrue(regression.getMessage().contains("softmax"), regression.getMessage());
        assertEquals(null, Trainer.builder().classWeights(2f).classWeights().build().classWeights());
    }
}
