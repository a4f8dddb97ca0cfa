package dev.mote.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Mote version of this build, from the filtered resource {@code mote-version.properties}. */
final class MoteVersion {

    private static final String CURRENT = read();

    private MoteVersion() {
    }

    /** E.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} if the resource is missing (a build without resources). */
    static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = MoteVersion.class.getResourceAsStream("mote-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown").trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException | IllegalArgumentException e) {
            return "unknown";
        }
    }
}
