package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionProviderTest {

    /** Passed by surefire from ${project.version}. */
    private static final String PROJECT_VERSION = System.getProperty("cxlkit.version");

    @Test
    void versionIsTheFilteredProjectVersion() {
        assertThat(PROJECT_VERSION).as("system property cxlkit.version").isNotBlank();
        assertThat(VersionProvider.version()).isEqualTo(PROJECT_VERSION);
    }

    @Test
    void versionLineIsCxlkitAndTheVersion() {
        assertThat(new VersionProvider().getVersion()).containsExactly("cxlkit " + PROJECT_VERSION);
    }
}
