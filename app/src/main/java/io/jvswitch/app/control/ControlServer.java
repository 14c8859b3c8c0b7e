package io.jvswitch.app.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Listens on the control socket and answers each request line with one reply line ({@link ControlProtocol}). Each
 * connection has a virtual thread; the handler serializes what must be. A request the handler refuses, or one that
 * is not a JSON object, gets an error reply, and the connection stays open.
 */
public final class ControlServer implements AutoCloseable {
    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @return the reply's fields besides {@code ok}
         * @throws RequestException when the request is refused: its message is the error reply
         */
        ObjectNode handle(JsonNode request) throws RequestException;
    }

    /** A refused request. */
    public static final class RequestException extends Exception {
        private static final long serialVersionUID = 1L;

        public RequestException(String message) {
            super(message);
        }
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Handler handler;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private ControlServer(Path path, ServerSocketChannel server, Handler handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.acceptor = Thread.ofPlatform().daemon().name("jvs-control").unstarted(this::accept);
    }

    /**
     * Binds the socket and starts serving. A socket file left by a daemon that died is replaced; one a live daemon
     * listens on is refused.
     */
    public static ControlServer start(Path path, Handler handler) throws IOException {
        Path absolute = path.toAbsolutePath();
        if (Files.exists(absolute)) {
            if (answers(absolute)) {
                throw new IOException(absolute + ": another daemon is listening on this control socket");
            }
            Files.delete(absolute); // left behind by a daemon that was killed
        }
        Files.createDirectories(absolute.getParent());
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(absolute));
        } catch (IOException e) {
            server.close();
            throw new IOException(absolute + ": cannot listen: " + e.getMessage(), e);
        }
        ControlServer control = new ControlServer(absolute, server, handler);
        control.acceptor.start();
        return control;
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                clients.add(client);
                Thread.ofVirtual().name("jvs-control-client").start(() -> serve(client));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client;
                InputStream in = Channels.newInputStream(client);
                OutputStream out = Channels.newOutputStream(client)) {
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                out.write(reply(line).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // The client went away mid-request: nothing to answer.
        } finally {
            clients.remove(client);
        }
    }

    /** One line, without its newline; null at the end of the stream. Too long a line is an error, then dropped. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= ControlProtocol.MAX_LINE) {
                throw new IOException("request line longer than " + ControlProtocol.MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private String reply(String line) {
        ObjectNode reply;
        try {
            JsonNode request;
            try {
                request = ControlProtocol.JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new RequestException("request is not JSON: "
                        + e.getOriginalMessage().lines().findFirst().orElse("") + " (line 1, column "
                        + e.getLocation().getColumnNr() + ")");
            }
            if (request == null || !request.isObject()) {
                throw new RequestException("request is not a JSON object");
            }
            reply = ControlProtocol.JSON.createObjectNode().put("ok", true);
            reply.setAll(handler.handle(request));
        } catch (RequestException e) {
            reply = ControlProtocol.JSON.createObjectNode().put("ok", false).put("error", e.getMessage());
        } catch (RuntimeException e) {
            // A bug must not take the daemon down: the client hears of it, the daemon goes on serving.
            reply = ControlProtocol.JSON.createObjectNode().put("ok", false).put("error", "internal error: " + e);
        }
        return reply.toString();
    }

    /** Stops listening, closes open connections and removes the socket file. */
    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel client : clients) {
            client.close();
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(path);
    }
}
