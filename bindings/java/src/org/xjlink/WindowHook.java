package org.xjlink;

/**
 * "Is this process open on this date?" asked by the workspace before a step
 * that changes a school's data (process "intake" or "enrol", date a day
 * number).  A hook that returns false, or throws, refuses the step.
 */
@FunctionalInterface
public interface WindowHook {
    boolean isOpen(String process, int date);
}
