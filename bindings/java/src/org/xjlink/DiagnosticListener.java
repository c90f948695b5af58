package org.xjlink;

/**
 * Told about each row of a file that could not be read: the row is reported
 * and the rest is still loaded.  Called on the thread that reads the file.
 */
@FunctionalInterface
public interface DiagnosticListener {
    void report(String file, long line, String column, String value, String message);
}
