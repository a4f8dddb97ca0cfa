package dev.mote.runtime;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;

import java.util.Arrays;

/**
 * Checks the declared sizes of a model's activation tensors against the arena before any kernel prepares (kernels
 * may size work or tables by a tensor's dimensions): a tensor that alone is larger than the arena can never be
 * allocated, and an empty tensor whose other dimensions would not fit either is refused, so that no prepare step ever
 * sees dimensions larger than the arena.
 */
final class DeclaredSizes {
    /**
     * The most activation bytes (all declared activations together, an empty one counted with its other
     * dimensions) for which the need of a model refused here is computed exactly, by running the kernels' prepare
     * against recording contexts: what prepare allocates on the Java heap grows with the tensors' dimensions.
     */
    static final long EXACT_NEED_LIMIT = 4L << 20;

    private DeclaredSizes() {
    }

    /**
     * @throws ArenaTooSmallException if one activation tensor alone is larger than the arena; it reports TFLM's
     *                                exact need for {@code target} with the kernels of {@code resolver} (their
     *                                prepare run against recording contexts) when the model's activations total at
     *                                most {@link #EXACT_NEED_LIMIT}, otherwise a lower bound (the framework's own
     *                                allocations and the planned tensors, no kernel run; the message says so), and
     *                                names the tensor
     * @throws InvalidModelException  if an empty activation tensor declares dimensions that would not fit the arena
     */
    static void checkFitArena(Model model, int arenaBytes, ArenaTarget target, OpResolver resolver) {
        Subgraph sg = model.mainSubgraph();
        boolean[] used = usedTensors(sg);
        long activationBytes = 0;
        for (int i = 0; i < used.length; i++) {
            Tensor t = sg.tensor(i);
            if (used[i] && model.buffer(t.buffer()).isEmpty()) {
                activationBytes = Math.min(Long.MAX_VALUE / 4, activationBytes + Math.max(t.byteSize(), nominal(t)));
            }
        }
        for (int i = 0; i < used.length; i++) {
            Tensor t = sg.tensor(i);
            if (!used[i] || !model.buffer(t.buffer()).isEmpty()) {
                continue; // constants are bounded by the file itself
            }
            long bytes = t.byteSize();
            if (bytes > arenaBytes) {
                String tensor = "tensor " + i + " '" + t.name() + "' " + t.type() + Arrays.toString(t.shape())
                        + " alone needs " + bytes + " bytes";
                if (activationBytes <= EXACT_NEED_LIMIT) {
                    ArenaReport exact = ArenaReport.of(model, resolver, target);
                    throw new ArenaTooSmallException(Math.max(exact.minimumArenaBytes(), align16(bytes)), arenaBytes,
                            "target " + target + ", " + exact + "; " + tensor);
                }
                ArenaReport framework = TflmArenaAccounting.report(model, target, ModelFootprints.frameworkOnly(model));
                throw new ArenaTooSmallException(Math.max(framework.minimumArenaBytes(), align16(bytes)), arenaBytes,
                        "target " + target + ", at least " + framework.minimumArenaBytes() + " bytes before the "
                        + "kernels' own allocations (not run for " + activationBytes + " bytes of activations); "
                        + tensor);
            }
            long nominal = nominal(t);
            if (bytes == 0 && nominal > arenaBytes) {
                throw new InvalidModelException("invalid model: tensor " + i + " '" + t.name() + "' is empty but "
                        + "declares dimensions " + Arrays.toString(t.shape()) + " that would need " + nominal
                        + " bytes with the empty dimension as 1, more than the arena of " + arenaBytes + " bytes");
            }
        }
    }

    /**
     * The bytes of every subgraph's activation tensors that an operator or the subgraph's inputs and outputs use
     * (constants are bounded by the file), saturating.
     */
    static long activationBytes(Model model) {
        long total = 0;
        for (Subgraph sg : model.subgraphs()) {
            boolean[] used = usedTensors(sg);
            for (int i = 0; i < used.length; i++) {
                Tensor t = sg.tensor(i);
                if (used[i] && model.buffer(t.buffer()).isEmpty()) {
                    total = Math.min(Long.MAX_VALUE / 4, total + Math.max(t.byteSize(), nominal(t)));
                }
            }
        }
        return total;
    }

    /** The tensors of {@code sg} that an operator or the subgraph's inputs and outputs name. */
    private static boolean[] usedTensors(Subgraph sg) {
        boolean[] used = new boolean[sg.tensors().size()];
        for (int t : sg.inputs()) {
            used[t] = true;
        }
        for (int t : sg.outputs()) {
            used[t] = true;
        }
        for (Operator op : sg.operators()) {
            for (int t : op.inputs()) {
                if (t >= 0) {
                    used[t] = true;
                }
            }
            for (int t : op.outputs()) {
                used[t] = true;
            }
        }
        return used;
    }

    /** A tensor's bytes with every empty dimension counted as 1. */
    private static long nominal(Tensor t) {
        long nominal = Math.max(1, t.type().bytesPerElement());
        for (int d : t.shape()) {
            nominal = Math.min(Long.MAX_VALUE / 2, nominal * Math.max(d, 1));
        }
        return nominal;
    }

    /**
     * Refuses a model with an activation tensor (of any subgraph) larger than any TFLM arena, before a kernel's
     * prepare sees its dimensions.
     *
     * @throws InvalidModelException naming the tensor
     */
    static void checkAddressable(Model model) {
        for (int g = 0; g < model.subgraphs().size(); g++) {
            Subgraph sg = model.subgraphs().get(g);
            for (int i = 0; i < sg.tensors().size(); i++) {
                Tensor t = sg.tensor(i);
                if (model.buffer(t.buffer()).isEmpty() && t.byteSize() > Integer.MAX_VALUE) {
                    throw new InvalidModelException("the model needs more than 2 GiB of arena: tensor " + i
                            + (g == 0 ? "" : " of subgraph " + g) + " '" + t.name() + "' " + t.type()
                            + Arrays.toString(t.shape()) + " alone needs " + t.byteSize() + " bytes");
                }
            }
        }
    }

    private static long align16(long bytes) {
        return (bytes + 15) & ~15L;
    }
}
