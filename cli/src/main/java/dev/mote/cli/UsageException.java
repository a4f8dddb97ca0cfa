package dev.mote.cli;

/**
 * The command line asks for something the command does not allow (an option value out of range, input values the
 * model's input tensors cannot hold, the wrong number of values): printed as one line naming the option and what
 * is allowed, with exit code 2 like picocli's own usage errors. A model that is wrong is a {@link CliException} or a
 * {@link dev.mote.vocabulary.MoteException} instead (exit code 1).
 */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }

    /**
     * Refuses {@code value} of {@code option} below {@code min}.
     *
     * @param what what the option is, e.g. "a size in bytes" or "a count"
     * @throws UsageException naming the option, what is allowed and the value given
     */
    static void requireAtLeast(String option, long value, long min, String what) {
        if (value < min) {
            throw new UsageException(option + " must be " + what + " >= " + min + ", got " + value);
        }
    }
}
