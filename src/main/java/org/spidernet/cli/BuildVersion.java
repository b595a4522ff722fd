package org.spidernet.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code --version}: the version Maven wrote into {@code version.properties} at build time (the pom's). */
final class BuildVersion implements CommandLine.IVersionProvider {
    static final String RESOURCE = "version.properties";

    /** The pom's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the build (run mvn package)");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (v.isEmpty() || v.contains("${")) {
                throw new IllegalStateException(RESOURCE + " was not filtered by Maven: '" + v + "'");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[]{"spidernet " + version()};
    }
}
