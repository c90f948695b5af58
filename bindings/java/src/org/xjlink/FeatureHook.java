package org.xjlink;

/**
 * "Is this feature on?" asked by the workspace ("intake" or "enrol").  A hook
 * that returns false, or throws, refuses the step.
 */
@FunctionalInterface
public interface FeatureHook {
    boolean isOn(String feature);
}
