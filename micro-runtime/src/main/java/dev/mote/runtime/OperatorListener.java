package dev.mote.runtime;

/**
 * Observes an invocation operator by operator, e.g. to read intermediate activations before the planner reuses
 * their arena bytes, or to time each operator. See {@link MicroInterpreter#invoke(OperatorListener)}.
 */
@FunctionalInterface
public interface OperatorListener {

    /** Called just before operator {@code node.operatorIndex()} runs. */
    default void beforeOperator(NodeContext node) {
    }

    /** Called right after the operator ran; its outputs hold their values now. */
    void afterOperator(NodeContext node);
}
