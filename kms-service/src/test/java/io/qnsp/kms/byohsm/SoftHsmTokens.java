package io.qnsp.kms.byohsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real PKCS#11 tokens for the BYOHSM tests: SoftHSM2 tokens initialised once per test JVM in the directory named by
 * the {@code SOFTHSM2_CONF} the build passes (the library reads it when it is first loaded, so it must be written
 * before any test registers a connection).
 */
final class SoftHsmTokens {

    static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";

    /** One token: its slot id and user PIN. */
    record Token(String label, long slot, String pin) {
    }

    /** The token the tests generate and use keys in. */
    static final Token MAIN;
    /** A token nobody logs into with its right PIN: a wrong PIN there must fail (a logged-in token skips the PIN). */
    static final Token LOCKED;

    static {
        if (!Files.isRegularFile(Path.of(LIBRARY))) {
            throw new IllegalStateException("SoftHSM2 is missing (" + LIBRARY + "): install it with "
                    + "`apt-get install -y softhsm2` (.ci/run installs it); the BYOHSM tests need a real PKCS#11 token");
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven (kms-service/pom.xml "
                    + "passes it to surefire)");
        }
        try {
            Path confFile = Path.of(conf);
            Path tokens = confFile.resolveSibling("tokens");
            if (Files.exists(tokens)) {
                try (Stream<Path> old = Files.walk(tokens)) {
                    for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            Files.createDirectories(tokens);
            Files.writeString(confFile, "directories.tokendir = " + tokens.toAbsolutePath() + "\n"
                    + "objectstore.backend = file\nlog.level = ERROR\n", StandardCharsets.UTF_8);
            MAIN = init(conf, "byohsm-main");
            LOCKED = init(conf, "byohsm-locked");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not initialise the SoftHSM2 tokens", e);
        }
    }

    private SoftHsmTokens() {
    }

    /** Makes sure the tokens exist (the class initialiser does the work). */
    static void ensure() {
    }

    private static Token init(String conf, String label) throws IOException, InterruptedException {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String pin = "pin-" + HexFormat.of().formatHex(random);
        ProcessBuilder builder = new ProcessBuilder(List.of("softhsm2-util", "--init-token", "--free", "--label", label,
                "--pin", pin, "--so-pin", "so-" + pin)).redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", conf);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("softhsm2-util --init-token failed: " + output);
        }
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
        if (!slot.find()) {
            throw new IllegalStateException("softhsm2-util did not name the slot: " + output);
        }
        return new Token(label, Long.parseLong(slot.group(1)), pin);
    }
}
