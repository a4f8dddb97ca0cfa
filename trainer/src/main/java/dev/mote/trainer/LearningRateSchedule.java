package dev.mote.trainer;

import java.util.Locale;

/**
 * The learning rate per epoch: constant, step, exponential or cosine decay, optionally with a linear warm-up over
 * the first epochs or steps. Immutable; pass it to {@link Trainer.Builder#learningRate(LearningRateSchedule)}.
 * Epochs count from 1 and the rate is constant within an epoch, except during a warm-up in steps.
 *
 * <pre>{@code
 * int epochs = 100;
 * Trainer trainer = Trainer.builder().epochs(epochs)
 *         .learningRate(LearningRateSchedule.cosine(0.01, epochs).withWarmup(5))
 *         .build();
 * LearningRateSchedule.step(0.01, 0.5, 10);        // 0.01 for epochs 1-10, 0.005 for 11-20, ...
 * LearningRateSchedule.exponential(0.01, 0.95);    // 0.01 * 0.95^(epoch - 1)
 * LearningRateSchedule.constant(1e-3).withWarmupSteps(200);
 * }</pre>
 *
 * <p>Formulas, with {@code e} the 1-based epoch:
 * <ul>
 *   <li>constant: {@code initial}</li>
 *   <li>step: {@code initial * factor^floor((e - 1) / everyEpochs)}</li>
 *   <li>exponential: {@code initial * rate^(e - 1)}</li>
 *   <li>cosine: {@code minimum + (initial - minimum) * (1 + cos(pi * min(e - 1, epochs) / epochs)) / 2}, so epoch 1
 *       trains at {@code initial} and the rate stays at {@code minimum} after {@code epochs}</li>
 *   <li>warm-up over {@code n} epochs multiplies the above by {@code min(1, e / n)}; over {@code n} steps by
 *       {@code min(1, (s + 1) / n)} with {@code s} the 0-based step counted from the start of training. The warm-up
 *       does not shift the schedule: {@code cosine(0.01, epochs).withWarmup(5)} still ends after {@code epochs}.</li>
 * </ul>
 *
 * <p>The trainer hands the schedule to DL4J's Adam as an {@link org.nd4j.linalg.schedule.ISchedule}, so the
 * updater itself reads the rate at every step; {@link EpochResult#learningRate()} reports the rate of each epoch's
 * last step.
 */
public final class LearningRateSchedule implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private enum Kind { CONSTANT, STEP, EXPONENTIAL, COSINE }

    private final Kind kind;
    private final double initial;
    /** STEP: factor; EXPONENTIAL: rate; COSINE: minimum. */
    private final double parameter;
    /** STEP: epochs per step; COSINE: epochs of decay. */
    private final int epochs;
    private final int warmupEpochs;
    private final int warmupSteps;

    private LearningRateSchedule(Kind kind, double initial, double parameter, int epochs, int warmupEpochs,
                                 int warmupSteps) {
        this.kind = kind;
        this.initial = initial;
        this.parameter = parameter;
        this.epochs = epochs;
        this.warmupEpochs = warmupEpochs;
        this.warmupSteps = warmupSteps;
    }

    /** The same rate for every epoch. */
    public static LearningRateSchedule constant(double rate) {
        return new LearningRateSchedule(Kind.CONSTANT, positive(rate, "learning rate"), 0, 0, 0, 0);
    }

    /** {@code initial}, multiplied by {@code factor} (in (0, 1]) every {@code everyEpochs} epochs. */
    public static LearningRateSchedule step(double initial, double factor, int everyEpochs) {
        if (!(factor > 0 && factor <= 1)) {
            throw new InvalidConfigurationException("step factor must be in (0, 1], got " + factor);
        }
        return new LearningRateSchedule(Kind.STEP, positive(initial, "learning rate"), factor,
                atLeastOne(everyEpochs, "epochs per step"), 0, 0);
    }

    /** {@code initial * rate^(epoch - 1)}, {@code rate} in (0, 1]. */
    public static LearningRateSchedule exponential(double initial, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new InvalidConfigurationException("decay rate must be in (0, 1], got " + rate);
        }
        return new LearningRateSchedule(Kind.EXPONENTIAL, positive(initial, "learning rate"), rate, 0, 0, 0);
    }

    /** Cosine decay from {@code initial} towards 0 over {@code epochs} epochs. */
    public static LearningRateSchedule cosine(double initial, int epochs) {
        return cosine(initial, epochs, 0);
    }

    /** Cosine decay from {@code initial} towards {@code minimum} (in [0, initial]) over {@code epochs} epochs. */
    public static LearningRateSchedule cosine(double initial, int epochs, double minimum) {
        positive(initial, "learning rate");
        if (!(minimum >= 0 && minimum <= initial)) {
            throw new InvalidConfigurationException("cosine minimum must be in [0, " + initial + "], got " + minimum);
        }
        return new LearningRateSchedule(Kind.COSINE, initial, minimum, atLeastOne(epochs, "cosine epochs"), 0, 0);
    }

    /** This schedule with a linear warm-up over the first {@code epochs} epochs (replaces any warm-up). */
    public LearningRateSchedule withWarmup(int epochs) {
        return new LearningRateSchedule(kind, initial, parameter, this.epochs, atLeastOne(epochs, "warm-up epochs"),
                0);
    }

    /** This schedule with a linear warm-up over the first {@code steps} mini-batches (replaces any warm-up). */
    public LearningRateSchedule withWarmupSteps(int steps) {
        return new LearningRateSchedule(kind, initial, parameter, epochs, 0, atLeastOne(steps, "warm-up steps"));
    }

    /** The rate at 1-based {@code epoch} for the 0-based {@code step} counted from the start of training. */
    public double at(int epoch, long step) {
        if (epoch < 1 || step < 0) {
            throw new InvalidConfigurationException("epoch must be >= 1 and step >= 0, got " + epoch + ", " + step);
        }
        double rate = switch (kind) {
            case CONSTANT -> initial;
            case STEP -> initial * Math.pow(parameter, (epoch - 1) / epochs);
            case EXPONENTIAL -> initial * Math.pow(parameter, epoch - 1);
            case COSINE -> parameter + (initial - parameter)
                    * (1 + Math.cos(Math.PI * Math.min(epoch - 1, epochs) / epochs)) / 2;
        };
        if (warmupEpochs > 0) {
            rate *= Math.min(1.0, (double) epoch / warmupEpochs);
        }
        if (warmupSteps > 0) {
            rate *= Math.min(1.0, (step + 1.0) / warmupSteps);
        }
        return rate;
    }

    /** The rate of {@code epoch} (1-based) once any warm-up in steps is over. */
    public double at(int epoch) {
        return at(epoch, Long.MAX_VALUE / 2);
    }

    /** The rate of the first step. */
    public double initial() {
        return at(1, 0);
    }

    @Override
    public String toString() {
        String base = switch (kind) {
            case CONSTANT -> String.format(Locale.ROOT, "constant(%g)", initial);
            case STEP -> String.format(Locale.ROOT, "step(%g, x%g every %d epochs)", initial, parameter, epochs);
            case EXPONENTIAL -> String.format(Locale.ROOT, "exponential(%g, x%g per epoch)", initial, parameter);
            case COSINE -> String.format(Locale.ROOT, "cosine(%g to %g over %d epochs)", initial, parameter, epochs);
        };
        return base + (warmupEpochs > 0 ? " with " + warmupEpochs + " warm-up epochs"
                : warmupSteps > 0 ? " with " + warmupSteps + " warm-up steps" : "");
    }

    private static double positive(double v, String what) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new InvalidConfigurationException(what + " must be > 0 and finite, got " + v);
        }
        return v;
    }

    private static int atLeastOne(int v, String what) {
        if (v < 1) {
            throw new InvalidConfigurationException(what + " must be >= 1, got " + v);
        }
        return v;
    }
}
