package org.xjlink;

/**
 * A row of a file that could not be read (or read with a warning): where it
 * is (file, line, column), the value and what was wrong with it.
 */
public final class Diagnostic {
    private final String file;
    private final long line;
    private final String column;
    private final String value;
    private final String message;

    public Diagnostic(String file, long line, String column, String value, String message) {
        this.file = file;
        this.line = line;
        this.column = column;
        this.value = value;
        this.message = message;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public String column() {
        return column;
    }

    public String value() {
        return value;
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + column + " '" + value + "': " + message;
    }
}
