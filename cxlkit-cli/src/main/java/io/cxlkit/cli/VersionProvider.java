package io.cxlkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: {@code cxlkit <project version>}, read from a resource filtered at build time. */
public final class VersionProvider implements IVersionProvider {

    /** Classpath resource holding {@code version=${project.version}}, filtered by Maven. */
    static final String RESOURCE = "/io/cxlkit/cli/version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"cxlkit " + version()};
    }

    /** The project version, or {@code unknown} if the resource is missing or was not filtered. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").trim();
            return version.isEmpty() || version.contains("${") ? "unknown" : version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
