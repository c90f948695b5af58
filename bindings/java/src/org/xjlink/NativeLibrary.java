package org.xjlink;

/**
 * Loads the JNI library once: from the path in the system property
 * {@code xjlink.library} if set, else {@code libxjlink_java.so} from
 * {@code java.library.path}.
 */
final class NativeLibrary {
    private static boolean loaded;

    private NativeLibrary() {
    }

    static synchronized void load() {
        if (loaded)
            return;
        String path = System.getProperty("xjlink.library");
        if (path != null && !path.isEmpty())
            System.load(path);
        else
            System.loadLibrary("xjlink_java");
        loaded = true;
    }
}
