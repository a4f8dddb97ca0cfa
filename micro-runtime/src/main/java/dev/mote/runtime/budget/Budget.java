package dev.mote.runtime.budget;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;

import java.util.Locale;

/**
 * A RAM and flash budget a model must fit on a target, checkable from any test framework.
 *
 * <pre>{@code
 * Budget.ram(2 * 1024).flash(4 * 1024).target(ArenaTarget.CORTEX_M).check(tfliteBytes);
 * }</pre>
 *
 * RAM is TFLM's smallest arena with which {@code AllocateTensors()} succeeds on the target; flash is the model's
 * size in bytes (the C array's length).
 */
public final class Budget {
    private final long ramBytes;
    private final long flashBytes;
    private final ArenaTarget target;

    private Budget(long ramBytes, long flashBytes, ArenaTarget target) {
        this.ramBytes = ramBytes;
        this.flashBytes = flashBytes;
        this.target = target;
    }

    /** A budget of {@code bytes} of arena RAM (no flash limit, Cortex-M target until changed). */
    public static Budget ram(long bytes) {
        return new Budget(bytes, Long.MAX_VALUE, ArenaTarget.CORTEX_M);
    }

    /** The same budget with a flash limit. */
    public Budget flash(long bytes) {
        return new Budget(ramBytes, bytes, target);
    }

    /** The same budget on another target ABI. */
    public Budget target(ArenaTarget target) {
        return new Budget(ramBytes, flashBytes, target);
    }

    /** Passes silently if the model fits; throws {@link BudgetExceededException} saying what is over and by how much. */
    public void check(byte[] tfliteBytes) {
        ArenaReport report = ArenaReport.of(tfliteBytes, target);
        StringBuilder problems = new StringBuilder();
        if (report.minimumArenaBytes() > ramBytes) {
            problems.append(String.format(Locale.ROOT, "RAM: needs %,d bytes of arena on %s, allowed %,d (over by "
                    + "%,d); largest tensors alive at the peak (operator %d):", report.minimumArenaBytes(), target,
                    ramBytes, report.minimumArenaBytes() - ramBytes, report.peakOperator()));
            for (ArenaReport.BufferUse use : report.peakTensors()) {
                problems.append(String.format(Locale.ROOT, " '%s' %,d B;", use.name(), use.bytes()));
            }
            problems.append(String.format(Locale.ROOT, " TFLM bookkeeping %,d B. ", report.tailBytes()));
        }
        if (tfliteBytes.length > flashBytes) {
            problems.append(String.format(Locale.ROOT, "Flash: the model is %,d bytes, allowed %,d (over by %,d).",
                    tfliteBytes.length, flashBytes, tfliteBytes.length - flashBytes));
        }
        if (problems.length() > 0) {
            throw new BudgetExceededException("model does not fit its budget. " + problems.toString().trim());
        }
    }
}
