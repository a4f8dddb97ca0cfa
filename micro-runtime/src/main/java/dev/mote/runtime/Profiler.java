package dev.mote.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times a model operator by operator: per-operator wall time averaged over several invocations, and the bytes each
 * operator writes. The interpreter must have its tensors allocated and its inputs set.
 *
 * <pre>{@code
 * Profiler.Profile p = Profiler.profile(interpreter, 10, 100);
 * System.out.print(p.toTable());
 * }</pre>
 */
public final class Profiler {
    private Profiler() {
    }

    /** One operator's figures. */
    public record OperatorProfile(int index, String op, double meanNanos, long outputBytes) {
    }

    /**
     * The figures of one profiling run.
     *
     * @param operators   one entry per operator, in execution order
     * @param invocations how many invocations the means are over
     */
    public record Profile(List<OperatorProfile> operators, int invocations) {
        public Profile {
            operators = List.copyOf(operators);
        }

        /** The sum of the operators' mean times. */
        public double totalMeanNanos() {
            return operators.stream().mapToDouble(OperatorProfile::meanNanos).sum();
        }

        /** A text table: index, op, mean time, share of the total, output bytes. */
        public String toTable() {
            double total = totalMeanNanos();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%4s  %-24s %14s %7s %14s%n", "#", "op", "mean ns", "share",
                    "output bytes"));
            for (OperatorProfile o : operators) {
                sb.append(String.format(Locale.ROOT, "%4d  %-24s %,14.0f %6.1f%% %,14d%n", o.index(), o.op(),
                        o.meanNanos(), total == 0 ? 0 : 100 * o.meanNanos() / total, o.outputBytes()));
            }
            sb.append(String.format(Locale.ROOT, "%4s  %-24s %,14.0f %6.1f%%   (mean of %d invocations)%n", "", "total",
                    total, 100.0, invocations));
            return sb.toString();
        }

        /** Machine-readable CSV with a header line: {@code index,op,mean_ns,output_bytes}. */
        public String toCsv() {
            StringBuilder sb = new StringBuilder("index,op,mean_ns,output_bytes\n");
            for (OperatorProfile o : operators) {
                sb.append(o.index()).append(',').append(o.op()).append(',')
                        .append(String.format(Locale.ROOT, "%.1f", o.meanNanos())).append(',')
                        .append(o.outputBytes()).append('\n');
            }
            return sb.toString();
        }
    }

    /**
     * Runs {@code warmup} untimed invocations, then {@code invocations} timed ones.
     *
     * @throws IllegalArgumentException if {@code invocations < 1} or {@code warmup < 0}
     */
    public static Profile profile(MicroInterpreter interpreter, int warmup, int invocations) {
        if (invocations < 1 || warmup < 0) {
            throw new IllegalArgumentException("need invocations >= 1 and warmup >= 0, got " + invocations + " and "
                    + warmup);
        }
        for (int i = 0; i < warmup; i++) {
            interpreter.invoke();
        }
        int n = interpreter.operatorCount();
        long[] sums = new long[n];
        long[] outputBytes = new long[n];
        String[] names = new String[n];
        OperatorListener timer = new OperatorListener() {
            private long start;

            @Override
            public void beforeOperator(NodeContext node) {
                start = System.nanoTime();
            }

            @Override
            public void afterOperator(NodeContext node) {
                long end = System.nanoTime();
                int i = node.operatorIndex();
                sums[i] += end - start;
                if (names[i] == null) {
                    names[i] = String.valueOf(node.op());
                    long bytes = 0;
                    for (int o = 0; o < node.outputCount(); o++) {
                        bytes += node.output(o).byteSize();
                    }
                    outputBytes[i] = bytes;
                }
            }
        };
        for (int k = 0; k < invocations; k++) {
            interpreter.invoke(timer);
        }
        List<OperatorProfile> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(new OperatorProfile(i, names[i], (double) sums[i] / invocations, outputBytes[i]));
        }
        return new Profile(ops, invocations);
    }
}
