package io.qnsp.launcher;

/** Starts the platform on embedded defaults. */
public final class PlatformLauncher {

    public static void main(String[] args) {
    }
}
