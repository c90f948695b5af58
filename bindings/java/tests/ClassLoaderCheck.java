package org.xjlink.tests;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The jar as a container uses it: loaded by two class loaders at once (two
 * web applications, or one redeployed before the old one is collected),
 * each with its own copy of the classes, without -Dxjlink.library, so each
 * loads the JNI library from the jar.  Only reflection here: this class sees
 * no xjlink class of its own.
 * Usage: ClassLoaderCheck XJLINK_JAR REGISTRY_CSV.  Exits 1 on a failure.
 */
public final class ClassLoaderCheck {
    public static void main(String[] args) throws Exception {
        if (System.getProperty("xjlink.library") != null)
            throw new IllegalStateException("run without -Dxjlink.library: the jar's copy is tested");
        URL jar = Path.of(args[0]).toUri().toURL();
        long[] sizes = new long[2];
        Class<?>[] classes = new Class<?>[2];
        URLClassLoader[] loaders = new URLClassLoader[2];
        for (int i = 0; i < 2; i++) {
            loaders[i] = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
            classes[i] = Class.forName("org.xjlink.Index", true, loaders[i]);
            Method fromCsv = classes[i].getMethod("fromCsv", String.class);
            try (AutoCloseable ix = (AutoCloseable) fromCsv.invoke(null, args[1])) {
                sizes[i] = (Long) classes[i].getMethod("size").invoke(ix);
            }
        }
        String version = (String) classes[1].getMethod("libraryVersion").invoke(null);
        String manifest = classes[1].getPackage().getImplementationVersion();
        for (URLClassLoader l : loaders)
            l.close();
        boolean ok = classes[0] != classes[1] && sizes[0] == 300 && sizes[1] == 300
                && version.equals(manifest);
        System.out.println("two class loaders: " + sizes[0] + " and " + sizes[1] + " records, version "
                + version + ", manifest " + manifest + (ok ? ": ok" : ": FAIL"));
        System.exit(ok ? 0 : 1);
    }
}
