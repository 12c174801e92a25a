package io.qnsp.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Checks, before anything starts, that a port the platform needs is free, so a clash is reported as such. */
final class Ports {

    private Ports() {
    }

    /**
     * Fails if something listens on {@code port}: {@code who} names what needed it, {@code remedy} says how to
     * move it.
     */
    static void requireFree(int port, String who, String remedy) {
        if (inUse(port)) {
            throw new LaunchFailure("Port " + port + " is already in use, so " + who + " cannot listen on it. "
                    + "Is the platform already running? Otherwise stop what uses the port, or " + remedy + ".");
        }
    }

    static boolean inUse(int port) {
        // binding catches a listener on any address; connecting catches one on loopback where the system lets
        // the wildcard bind succeed next to it
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
        } catch (IOException bindFailed) {
            return true;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 250);
            return true;
        } catch (IOException nobodyListening) {
            return false;
        }
    }
}
