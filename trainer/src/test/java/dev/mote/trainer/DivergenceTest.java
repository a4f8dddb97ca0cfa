package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.vocabulary.MoteException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NaN/Inf losses stop training with a {@link TrainingDivergedException} naming the epoch and batch; divergence that
 * stays finite (exploding weights, a loss far above its start for epochs) is caught after the epoch by
 * {@link DivergenceGuard}; normal training is left alone.
 */
class DivergenceTest {

    private static final ModelSpec HELLO_WORLD = MicroModel.sequential("hello_world").input(1).dense(16).relu()
            .dense(16).relu().dense(1).build();

    /** The Hello World sample's data: 1,000 noisy samples of sin(x), seed 42. */
    private static TrainingData helloWorldData() {
        Random random = new Random(42);
        float[] x = new float[1000];
        float[] y = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 * Math.PI);
            y[i] = (float) (Math.sin(x[i]) + 0.1 * random.nextGaussian());
        }
        return TrainingData.regression(x, y);
    }

    /** The Hello World sample's float training settings at another learning rate. */
    private static Trainer helloWorldTrainer(int epochs, double learningRate) {
        return Trainer.builder().epochs(epochs).batchSize(100).learningRate(learningRate).seed(42)
                .validationSplit(0.2).earlyStopping(300).progressBar(false).build();
    }

    @Test
    void helloWorldAtLearningRate1e6DivergesWithExplodingWeights() {
        // before: no exception, weights around -4.5e6, a model that exports and runs
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> helloWorldTrainer(50, 1e6).train(HELLO_WORLD, helloWorldData()));
        assertInstanceOf(MoteException.class, e);
        assertEquals(1, e.epoch(), e.getMessage());
        assertEquals(0, e.batch(), e.getMessage());
        assertTrue(Double.isFinite(e.loss()), e.getMessage());
        String m = e.getMessage();
        assertTrue(m.startsWith("train diverged at epoch 1: layer "), m);
        assertTrue(m.contains("weights exploded to magnitude") || m.contains("biases exploded to magnitude"), m);
        assertTrue(m.contains("limit 1.00e+04"), m);
        assertTrue(m.contains("lower the learning rate (now 1.00e+06"), m);
        assertTrue(m.contains("normalize the inputs"), m);
    }

    @Test
    void aLossThatStaysFarAboveItsStartIsDivergence() {
        // learning rate 10: the weights stay below 100, the loss stays in the hundreds (the start is below 1)
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> helloWorldTrainer(50, 10).train(HELLO_WORLD, helloWorldData()));
        String m = e.getMessage();
        assertTrue(m.startsWith("train diverged at epoch " + e.epoch() + ": the training loss has stayed above 100"
                + " times the starting loss "), m);
        assertTrue(e.epoch() >= DivergenceGuard.LOSS_EPOCHS && e.epoch() <= 10, m);
        assertTrue(m.contains("for 3 epochs (epochs " + (e.epoch() - 2) + "-" + e.epoch() + ": "), m);
        assertTrue(m.contains("lower the learning rate (now 10;"), m);
    }

    @Test
    void helloWorldAtItsOwnSettingsDoesNotDiverge() {
        TrainingData data = helloWorldData();
        Trainer trainer = helloWorldTrainer(200, 0.01);
        TrainedModel floatModel = trainer.train(HELLO_WORLD, data);
        TrainedModel qat = trainer.toBuilder().epochs(10).learningRate(0.001).earlyStopping(20).build()
                .fineTuneQuantized(floatModel, data);
        assertTrue(Predictor.floatModel(floatModel).meanAbsoluteError(data) < 0.2);
        assertTrue(Predictor.int8Simulation(qat).meanAbsoluteError(data) < 0.25);
    }

    @Test
    void aClassifierAtAnExplodingLearningRateDiverges() {
        // softmax cross-entropy is clipped (about 23 at most), so the loss cannot rise 100-fold: the weights tell
        ModelSpec classifier = MicroModel.sequential("classes").input(8).dense(16).relu().dense(4).softmax().build();
        Random random = new Random(3);
        float[][] x = new float[512][8];
        int[] labels = new int[512];
        for (int i = 0; i < x.length; i++) {
            labels[i] = random.nextInt(4);
            for (int j = 0; j < 8; j++) {
                x[i][j] = (float) random.nextGaussian() + (j % 4 == labels[i] ? 1.5f : 0f);
            }
        }
        TrainingData data = TrainingData.classification(x, labels, 4);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder().epochs(20).batchSize(64).learningRate(1e6).progressBar(false).build()
                        .train(classifier, data));
        assertTrue(e.getMessage().startsWith("train diverged"), e.getMessage());
        // and the same classifier trains at a sane learning rate
        TrainedModel ok = Trainer.builder().epochs(20).batchSize(64).learningRate(1e-2).progressBar(false).build()
                .train(classifier, data);
        assertTrue(Predictor.floatModel(ok).accuracy(data) > 0.6);
    }

    @Test
    void qatAtAnExplodingLearningRateNamesThePhase() {
        TrainingData data = helloWorldData();
        TrainedModel floatModel = helloWorldTrainer(20, 0.01).train(HELLO_WORLD, data);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> helloWorldTrainer(5, 1e6).toBuilder().earlyStopping(0).build()
                        .fineTuneQuantized(floatModel, data));
        assertTrue(e.getMessage().startsWith("qat diverged at epoch 1: layer "), e.getMessage());
    }

    @Test
    void nanParametersAreDivergence() {
        SpecNetwork net = NetworkFactory.build(HELLO_WORLD, NetworkFactory.Options.of(
                NetworkFactory.Mode.FLOAT_TRAINING, 1, 1e-3, Loss.AUTO));
        DivergenceGuard guard = new DivergenceGuard("train", 1e-3, net, 0.5);
        guard.epoch(1, 0.4);
        INDArray params = net.params().dup();
        params.putScalar(params.length() - 1, Float.NaN);
        net.setParams(params);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.epoch(2, 0.4));
        assertTrue(e.getMessage().startsWith("train diverged at epoch 2: layer 5 'dense"), e.getMessage());
        assertTrue(e.getMessage().contains("became NaN or infinite"), e.getMessage());
    }

    @Test
    void aLossSpikeOfOneOrTwoEpochsIsTolerated() {
        SpecNetwork net = NetworkFactory.build(HELLO_WORLD, NetworkFactory.Options.of(
                NetworkFactory.Mode.FLOAT_TRAINING, 1, 1e-3, Loss.AUTO));
        DivergenceGuard guard = new DivergenceGuard("train", 1e-3, net, 0.5);
        guard.epoch(1, 500);
        guard.epoch(2, 0.4);
        guard.epoch(3, 60);
        guard.epoch(4, 60);
        guard.epoch(5, 0.3);
        guard.epoch(6, 49);
        guard.epoch(7, 51);
        guard.epoch(8, 51);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.epoch(9, 51));
        assertTrue(e.getMessage().contains("(epochs 7-9: 51, 51, 51)"), e.getMessage());
        // a model that starts perfect (loss 0) does not trip at a tiny rise
        DivergenceGuard perfect = new DivergenceGuard("train", 1e-3, net, 0);
        for (int epoch = 1; epoch <= 5; epoch++) {
            perfect.epoch(epoch, 1e-5);
        }
    }

    private static final ModelSpec SINE = Specs.input(1).then(Specs.dense(8)).then(Specs.act(ActivationKind.RELU))
            .then(Specs.dense(1)).build("sine");

    @Test
    void nanTargetsAreRefusedBeforeTrainingNamingTheExample() {
        // before: a loss NaN at epoch 1, batch 1 that pointed at no example
        float[] x = new float[40];
        float[] y = new float[40];
        for (int i = 0; i < 40; i++) {
            x[i] = i / 40f;
            y[i] = i == 17 ? Float.NaN : x[i];
        }
        InvalidTrainingDataException e = assertThrows(InvalidTrainingDataException.class,
                () -> TrainingData.regression(x, y));
        assertEquals(17, e.example());
        assertTrue(e.getMessage().startsWith("training targets of example 17 hold NaN at index 0"), e.getMessage());
    }

    @Test
    void explodingLearningRateIsCaughtAtTheBatchWhereItHappens() {
        float[] x = new float[64];
        float[] y = new float[64];
        for (int i = 0; i < 64; i++) {
            x[i] = i * 1e3f;
            y[i] = i * 1e18f;
        }
        Trainer trainer = Trainer.builder().epochs(50).batchSize(16).learningRate(1e10).progressBar(false).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.train(SINE, TrainingData.regression(x, y)));
        assertTrue(e.epoch() >= 1 && e.batch() >= 1 && e.batch() <= 4, e.getMessage());
        assertTrue(!Double.isFinite(e.loss()));
    }
}
