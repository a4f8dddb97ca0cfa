package dev.mote.trainer;

import dev.mote.vocabulary.MoteException;

/**
 * The trainer cannot do what was asked. Subclasses say why: {@link UnsupportedLayerException} for a layer the
 * trainer cannot build, {@link InvalidTrainingDataException} for data it cannot use (naming the example, the index
 * and the value), {@link InvalidConfigurationException} for a setting out of range, {@link TrainingDivergedException}
 * for training that diverged (a NaN or infinite loss, exploding weights, a loss far above its start).
 *
 * <pre>{@code
 * try {
 *     trainer.train(spec, data);
 * } catch (TrainerException e) {
 *     System.err.println(e.getMessage());   // names the layer or the epoch, and what to change
 * }
 * }</pre>
 */
public class TrainerException extends MoteException {
    private static final long serialVersionUID = 1L;

    TrainerException(String message) {
        super(message);
    }
}
