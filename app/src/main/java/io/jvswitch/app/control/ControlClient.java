package io.jvswitch.app.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sends one request to the daemon's control socket and returns its reply ({@link ControlProtocol}). */
public final class ControlClient {
    private ControlClient() {}

    /** A request the daemon refused, or a daemon that could not be reached: the message says which and why. */
    public static final class ControlException extends IOException {
        private static final long serialVersionUID = 1L;

        public ControlException(String message) {
            super(message);
        }
    }

    /** A fresh request object for {@code op}. */
    public static ObjectNode request(String op) {
        return ControlProtocol.JSON.createObjectNode().put("op", op);
    }

    /**
     * Sends {@code request} and returns the successful reply.
     *
     * @throws ControlException when no daemon listens on {@code socket} (naming it), or the daemon refused
     */
    public static JsonNode call(Path socket, ObjectNode request) throws ControlException {
        if (!Files.exists(socket)) {
            throw new ControlException("cannot reach the daemon at " + socket
                    + ": no such socket (is jvs daemon running? --control or JVS_CONTROL name another socket)");
        }
        JsonNode reply;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                OutputStream out = Channels.newOutputStream(channel);
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            out.write((request.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = in.readLine();
            if (line == null) {
                throw new ControlException("the daemon at " + socket + " closed the connection without answering");
            }
            reply = ControlProtocol.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ControlException("the daemon at " + socket + " answered something that is not JSON");
        } catch (SocketException e) {
            throw new ControlException(
                    "cannot reach the daemon at " + socket + ": " + e.getMessage() + " (is jvs daemon running?)");
        } catch (ControlException e) {
            throw e;
        } catch (IOException e) {
            throw new ControlException("cannot reach the daemon at " + socket + ": " + e.getMessage());
        }
        if (!reply.path("ok").asBoolean(false)) {
            throw new ControlException(reply.path("error").asText("the daemon refused the request"));
        }
        return reply;
    }
}
