package dev.mote.trainer;

import dev.mote.vocabulary.MoteException;

/**
 * The trainer cannot do what was asked. Subclasses say why: {@link UnsupportedLayerException} for a layer the
 * trainer cannot build, {@link TrainingDivergedException} for a loss that became NaN or infinite.
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
