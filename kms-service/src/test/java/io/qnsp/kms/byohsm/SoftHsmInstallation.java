package io.qnsp.kms.byohsm;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether SoftHSM2 is installed, checked before {@link SoftHsmTokens} initialises its tokens: on a developer's
 * machine without it the BYOHSM tests are skipped (the README's quick start needs only a JDK); on CI, which installs
 * it (.ci/run), its absence fails them.
 */
final class SoftHsmInstallation {

    private SoftHsmInstallation() {
    }

    static void requireOrSkip() {
        boolean installed = Files.isRegularFile(Path.of(SoftHsmTokens.LIBRARY));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(installed, "SoftHSM2 is not installed (apt-get install -y softhsm2): the BYOHSM "
                    + "tests need a real PKCS#11 token");
        } else {
            assertThat(installed).as("SoftHSM2 on the CI machine (.ci/run installs it)").isTrue();
        }
        SoftHsmTokens.ensure();
    }
}
