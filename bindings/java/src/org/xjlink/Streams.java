package org.xjlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Stream inputs: the library's CSV reader reads files (it cuts a registry
 * into blocks read by several threads), so a stream is copied to a private
 * temporary file first, read, and the file deleted.  Messages and listener
 * reports name the stream by the name the caller gave instead of that file.
 */
final class Streams {
    private Streams() {
    }

    interface FileReader<T> {
        T read(String path);
    }

    static <T> T viaFile(InputStream in, String name, FileReader<T> reader) {
        Path tmp;
        try {
            tmp = Files.createTempFile("xjlink-", ".csv");
        } catch (IOException e) {
            throw new UncheckedIOException("xjlink: cannot make a temporary file for " + name, e);
        }
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return reader.read(tmp.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("xjlink: cannot read " + name, e);
        } catch (XjlinkException e) {
            String m = e.getMessage() == null ? null : e.getMessage().replace(tmp.toString(), name);
            throw new XjlinkException(e.code(), m);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a temporary file left behind is no reason to fail the read
            }
        }
    }

    /** A listener that sees the stream's name where the library says the file's. */
    static DiagnosticListener renaming(DiagnosticListener l, String name) {
        if (l == null)
            return null;
        return (file, line, column, value, message) -> l.report(name, line, column, value, message);
    }
}
