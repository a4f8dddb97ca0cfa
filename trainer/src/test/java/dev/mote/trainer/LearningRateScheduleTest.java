package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateScheduleTest {

    private static final double EPS = 1e-12;

    @Test
    void stepExponentialAndCosineFollowTheirFormulas() {
        LearningRateSchedule step = LearningRateSchedule.step(0.1, 0.5, 3);
        double[] stepExpected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
        for (int e = 1; e <= stepExpected.length; e++) {
            assertEquals(stepExpected[e - 1], step.at(e), EPS, "step epoch " + e);
        }
        LearningRateSchedule exp = LearningRateSchedule.exponential(0.01, 0.9);
        assertEquals(0.01, exp.at(1), EPS);
        assertEquals(0.009, exp.at(2), EPS);
        assertEquals(0.00729, exp.at(4), EPS);
        // cosine over 4 epochs from 0.02 to 0: (1 + cos(pi * k / 4)) / 2 = 1, 0.853553, 0.5, 0.146447, then 0
        LearningRateSchedule cos = LearningRateSchedule.cosine(0.02, 4);
        assertEquals(0.02, cos.at(1), EPS);
        assertEquals(0.02 * 0.8535533905932737, cos.at(2), EPS);
        assertEquals(0.01, cos.at(3), EPS);
        assertEquals(0.02 * 0.14644660940672627, cos.at(4), EPS);
        assertEquals(0.0, cos.at(5), EPS);
        assertEquals(0.0, cos.at(50), EPS);
        LearningRateSchedule cosMin = LearningRateSchedule.cosine(0.02, 4, 0.004);
        assertEquals(0.004 + 0.016 * 0.5, cosMin.at(3), EPS);
        assertEquals(0.004, cosMin.at(9), EPS);
        assertEquals(0.003, LearningRateSchedule.constant(0.003).at(77), EPS);
    }

    @Test
    void warmupRampsLinearlyThenLeavesTheSchedule() {
        LearningRateSchedule cos = LearningRateSchedule.cosine(0.01, 10);
        LearningRateSchedule warm = cos.withWarmup(4);
        for (int e = 1; e <= 4; e++) {
            assertEquals(cos.at(e) * e / 4.0, warm.at(e), EPS, "epoch " + e);
        }
        for (int e = 5; e <= 12; e++) {
            assertEquals(cos.at(e), warm.at(e), EPS, "epoch " + e);
        }
        LearningRateSchedule steps = LearningRateSchedule.constant(0.01).withWarmupSteps(10);
        assertEquals(0.001, steps.at(1, 0), EPS);
        assertEquals(0.005, steps.at(1, 4), EPS);
        assertEquals(0.01, steps.at(1, 9), EPS);
        assertEquals(0.01, steps.at(3, 1000), EPS);
        assertEquals(0.001, steps.initial(), EPS);
    }

    @Test
    void invalidSchedulesAreRefused() {
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.constant(0));
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.constant(Double.NaN));
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.step(0.1, 1.5, 2));
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.step(0.1, 0.5, 0));
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.exponential(0.1, 0));
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.cosine(0.1, 0));
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.cosine(0.1, 5, 0.2));
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.cosine(0.1, 5).withWarmup(0));
        assertThrows(InvalidConfigurationException.class, () -> LearningRateSchedule.cosine(0.1, 5).at(0, 0));
    }

    /** The rate DL4J's updater reads at each epoch is the schedule's, and EpochResult reports it. */
    @Test
    void theUpdaterUsesTheScheduleAndEpochResultsReportIt() {
        for (ModelSpec spec : List.of(TrainerTest.SINE, residual())) {
            LearningRateSchedule schedule = LearningRateSchedule.step(0.02, 0.5, 2).withWarmup(2);
            List<Double> dl4j = new ArrayList<>();
            List<EpochResult> epochs = new ArrayList<>();
            Trainer trainer = Trainer.builder().epochs(6).batchSize(50).learningRate(schedule).progressBar(false)
                    .build();
            SpecNetwork net = NetworkFactory.build(spec, NetworkFactory.Options.of(NetworkFactory.Mode.FLOAT_TRAINING,
                    trainer.seed(), trainer.learningRate(), trainer.loss()));
            Trainer listening = trainer.toBuilder().listener(r -> {
                epochs.add(r);
                dl4j.add(NetworkSettings.learningRate(net));
            }).build();
            TrainingData data = spec == TrainerTest.SINE ? TrainerTest.sine(200, 1)
                    : TrainingData.of(TestNets.randomFeatures(spec, 200, 5),
                    TestNets.randomFeatures(spec, 200, 6).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, spec.outputShape().dim(0))).dup());
            new TrainingLoop(listening, "train", false).run(net, data);
            // hand-computed: warm-up 1/2, 2/2 of 0.02, then 0.02 * 0.5^floor((e - 1) / 2)
            double[] expected = {0.01, 0.02, 0.01, 0.01, 0.005, 0.005};
            for (int e = 0; e < 6; e++) {
                assertEquals(expected[e], dl4j.get(e), 1e-9, spec.name() + " DL4J epoch " + (e + 1));
                assertEquals(expected[e], epochs.get(e).learningRate(), 1e-12, spec.name() + " result " + (e + 1));
            }
        }
    }

    /**
     * Adam's first step moves every parameter with a non-zero gradient by about the learning rate (m / sqrt(v) is
     * the gradient's sign after bias correction), so the step size shows the rate the updater really applied.
     */
    @Test
    void adamsFirstStepHasTheScheduledSize() {
        for (double lr : new double[] {0.004, 0.0005}) {
            LearningRateSchedule schedule = LearningRateSchedule.constant(lr * 8).withWarmupSteps(8); // step 0: lr
            Trainer trainer = Trainer.builder().epochs(1).batchSize(1000).learningRate(schedule).progressBar(false)
                    .build();
            SpecNetwork net = NetworkFactory.build(TrainerTest.SINE, NetworkFactory.Options.of(
                    NetworkFactory.Mode.FLOAT_TRAINING, 1, trainer.learningRate(), trainer.loss()));
            INDArray before = net.params().dup();
            new TrainingLoop(trainer, "train", false).run(net, TrainerTest.sine(1000, 3)); // one batch: one step
            double maxStep = Transforms.abs(net.params().sub(before)).maxNumber().doubleValue();
            assertEquals(lr, maxStep, lr * 0.01, "largest parameter change");
        }
    }

    @Test
    void aConstantRateLeavesTrainingAsBefore() {
        TrainingData data = TrainerTest.sine(300, 2);
        Trainer plain = Trainer.builder().epochs(3).batchSize(50).learningRate(0.01).progressBar(false).build();
        Trainer constant = plain.toBuilder().learningRate(LearningRateSchedule.constant(0.01)).build();
        INDArray a = trainParams(plain, data);
        INDArray b = trainParams(constant, data);
        assertTrue(a.equalsWithEps(b, 1e-6), "constant schedule vs constant rate");
        assertEquals(0.01, plain.learningRateSchedule().at(5), EPS);
    }

    static INDArray trainParams(Trainer trainer, TrainingData data) {
        SpecNetwork net = NetworkFactory.build(TrainerTest.SINE, NetworkFactory.Options.of(
                NetworkFactory.Mode.FLOAT_TRAINING, trainer.seed(), trainer.learningRate(), trainer.loss()));
        new TrainingLoop(trainer, "train", false).run(net, data);
        return net.params().dup();
    }

    private static ModelSpec residual() {
        return TestNets.residual();
    }
}
