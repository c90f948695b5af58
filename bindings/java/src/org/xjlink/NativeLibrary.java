package org.xjlink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the JNI library once per class loader.
 *
 * <p>Where from, in this order:
 * <ol>
 * <li>the system property {@code xjlink.library}: a path to
 * {@code libxjlink_java.so}, or the word {@code system} for
 * {@code System.loadLibrary("xjlink_java")} from {@code java.library.path}
 * (Debian: {@code /usr/lib/x86_64-linux-gnu/jni});</li>
 * <li>else the copy inside the jar ({@code org/xjlink/native/linux-x86_64/}),
 * extracted to a private temporary file (in {@code java.io.tmpdir}), loaded,
 * and deleted at once (the mapping stays).  The JNI library links the
 * shared library {@code libxjlink.so}, which the jar carries beside it and
 * which is loaded first the same way: the JNI library then finds it loaded
 * (by its soname) instead of searching the system for it;</li>
 * <li>else, when the jar has none for this platform,
 * {@code System.loadLibrary("xjlink_java")}.</li>
 * </ol>
 *
 * <p>Class loaders: the JVM lets one library file be loaded by one class
 * loader only ("already loaded in another classloader").  The copy inside
 * the jar is extracted to a new file for each class loader that loads these
 * classes, so two web applications, or one redeployed, each get their own.
 * A container should either put the jar in each application (WEB-INF/lib)
 * and leave {@code xjlink.library} unset, or put it once in a shared loader
 * (Tomcat: {@code $CATALINA_BASE/lib}) and not in the applications.  With
 * {@code xjlink.library} set to a path, the second class loader fails.
 */
final class NativeLibrary {
    private static boolean loaded;

    private NativeLibrary() {
    }

    static synchronized void load() {
        if (loaded)
            return;
        String path = System.getProperty("xjlink.library");
        if ("system".equals(path))
            System.loadLibrary("xjlink_java");
        else if (path != null && !path.isEmpty())
            System.load(path);
        else if (!loadFromJar())
            System.loadLibrary("xjlink_java");
        loaded = true;
    }

    /** The folder name of this platform inside the jar, as the build names it. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64"))
            arch = "x86_64";
        return (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-" + arch;
    }

    private static boolean loadFromJar() {
        String dir = "native/" + platform() + "/";
        if (NativeLibrary.class.getResource(dir + "libxjlink_java.so") == null)
            return false;
        extractAndLoad(dir + "libxjlink.so");
        extractAndLoad(dir + "libxjlink_java.so");
        return true;
    }

    /** Extracts a library of the jar to a temporary file and loads it; false if absent. */
    private static boolean extractAndLoad(String resource) {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null)
                return false;
            Path tmp = Files.createTempFile("xjlink-", ".so");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                System.load(tmp.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("xjlink: cannot extract " + resource + " from the jar to "
                    + System.getProperty("java.io.tmpdir") + ": " + e
                    + " (set -Dxjlink.library=PATH or -Djava.io.tmpdir=DIR)");
        }
    }
}
