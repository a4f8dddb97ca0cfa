package dev.mote.trainer;

import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * {@link Trainer.Builder#checkpoint(Path)}: writes the best model so far with {@link TrainedModel#save} each time the
 * selection of {@link TrainingLoop} improves, turning the network into a {@link TrainedModel} exactly as the trainer
 * turns its final network into the returned model, so a checkpoint of the epoch that early stopping restores
 * exports to the same bytes as the returned model. nd4j's global random state is saved before the write and
 * restored after it, so that building the calibration network of a float checkpoint cannot change the random draws
 * of the training that follows (training with and without a checkpoint give the same model).
 */
final class Checkpoint implements BestEpochListener {

    private final Path path;
    private final BiFunction<SpecNetwork, Integer, TrainedModel> model;

    private Checkpoint(Path path, BiFunction<SpecNetwork, Integer, TrainedModel> model) {
        this.path = path;
        this.model = model;
    }

    /** Makes {@code loop} write {@code model(net, epoch)} to {@code path} on each improvement (no-op if null). */
    static TrainingLoop attach(TrainingLoop loop, Path path, BiFunction<SpecNetwork, Integer, TrainedModel> model) {
        return path == null ? loop : loop.bestEpochListener(new Checkpoint(path, model));
    }

    @Override
    public void improved(SpecNetwork net, int epoch) {
        Random random = Nd4j.getRandom();
        long root = random.rootState();
        long node = random.nodeState();
        try {
            model.apply(net, epoch).save(path);
        } finally {
            Nd4j.getRandom().setStates(root, node);
        }
    }
}
