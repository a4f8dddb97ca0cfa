package dev.mote.dsl;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.BuiltinOperator;
import dev.mote.runtime.kernels.BuiltinKernels;

/**
 * An op resolver for arena planning in tests: Mote's real kernel for every operator that has one (their prepare
 * requests TFLM's scratch buffers), and a prepare-only stand-in that requests nothing for operators whose kernels
 * have not landed yet. TFLM's reference kernels for CONV_2D, DEPTHWISE_CONV_2D, pooling, RESHAPE, PAD, ADD,
 * CONCATENATION and the activations request no scratch either; MEAN does (an int32 per output).
 */
final class TestKernels {
    private TestKernels() {
    }

    static OpResolver planningResolver() {
        OpResolver.Builder builder = OpResolver.builder();
        for (BuiltinOperator op : Lowering.TFLM_INT8) {
            if (BuiltinKernels.all().containsKey(op)) {
                builder.add(op);
            } else {
                builder.add(op, PrepareOnly::new);
            }
        }
        return builder.build();
    }

    /** The operators planned with the stand-in (no kernel in micro-runtime yet). */
    static java.util.Set<BuiltinOperator> standIns() {
        java.util.Set<BuiltinOperator> out = java.util.EnumSet.noneOf(BuiltinOperator.class);
        for (BuiltinOperator op : Lowering.TFLM_INT8) {
            if (!BuiltinKernels.all().containsKey(op)) {
                out.add(op);
            }
        }
        return out;
    }

    static ArenaEstimator estimator() {
        return ArenaEstimator.fromExport(PlaceholderTflite::export, planningResolver());
    }

    private static final class PrepareOnly implements Kernel {
        @Override
        public void prepare(NodeContext node) {
        }

        @Override
        public void invoke(NodeContext node) {
            throw new UnsupportedOperationException("planning-only stand-in for " + node);
        }
    }
}
