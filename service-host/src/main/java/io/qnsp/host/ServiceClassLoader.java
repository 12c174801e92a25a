package io.qnsp.host;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hosted service's class loader: its own classes and resources (the extracted application jar's content), and of
 * the libraries on the shared class path only those the service itself ships. The shared class path holds every
 * hosted service's libraries; a library another service brought is invisible here, so a service sees the classes
 * and resources its own process would have seen: Spring Boot's auto-configurations, {@code @ConditionalOnClass},
 * {@code META-INF/spring.factories} and {@link java.util.ServiceLoader} decide as they would for it alone. Classes
 * of the JDK are always visible. The shared libraries' classes are defined once, by the JVM's application class
 * loader, which is what lets every service share them (and the JVM's AOT cache hold them).
 */
final class ServiceClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Set<String> libraries;
    private final Map<String, Boolean> visibleLocations = new ConcurrentHashMap<>();

    /**
     * @param classes   the service's own classes and resources (a directory or jar without a {@code Class-Path})
     * @param libraries the file names of the jars the service ships (as in its {@code lib/} directory)
     */
    ServiceClassLoader(String service, URL classes, Set<String> libraries, ClassLoader shared) {
        super(service, new URL[] {classes}, shared);
        this.libraries = Set.copyOf(libraries);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = getParent().loadClass(name);
                    if (!visible(loaded)) {
                        loaded = null;
                    }
                } catch (ClassNotFoundException notShared) {
                    // the service's own class, or none
                }
                if (loaded == null) {
                    loaded = findClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        try {
            Enumeration<URL> shared = getParent().getResources(name);
            while (shared.hasMoreElements()) {
                URL url = shared.nextElement();
                if (visible(url)) {
                    return url;
                }
            }
        } catch (IOException e) {
            // as if the shared class path had none
        }
        return findResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>();
        Enumeration<URL> shared = getParent().getResources(name);
        while (shared.hasMoreElements()) {
            URL url = shared.nextElement();
            if (visible(url)) {
                urls.add(url);
            }
        }
        urls.addAll(Collections.list(findResources(name)));
        return Collections.enumeration(urls);
    }

    private boolean visible(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            // the JDK's base module
            return true;
        }
        String location = source.getLocation().toString();
        // the JDK's other modules come from jrt:
        return !location.startsWith("file:") || visibleLocation(location);
    }

    private boolean visible(URL resource) {
        String location = resource.toString();
        if (location.startsWith("jar:")) {
            int separator = location.indexOf("!/");
            location = location.substring(4, separator < 0 ? location.length() : separator);
        } else if (!location.startsWith("file:")) {
            // jrt: and the like: the JDK's own
            return true;
        }
        return visibleLocation(location);
    }

    private boolean visibleLocation(String location) {
        return visibleLocations.computeIfAbsent(location, l -> {
            String file = l.substring(l.lastIndexOf('/') + 1);
            return libraries.contains(file);
        });
    }
}
