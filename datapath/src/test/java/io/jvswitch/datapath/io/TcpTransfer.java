package io.jvswitch.datapath.io;

import io.jvswitch.netio.NetNamespace;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TCP transfer between two VM namespaces through their own kernels: the sockets are made by threads that entered
 * the namespaces, so the bytes cross the VMs' stacks, their interfaces and the switches between them. Seeded random
 * bytes go one way; both ends hash what they saw.
 *
 * @param bytes the bytes the receiver read
 * @param sentSha256 SHA-256 of what was written
 * @param receivedSha256 SHA-256 of what was read
 */
record TcpTransfer(long bytes, String sentSha256, String receivedSha256) {
    private static final int CHUNK = 1 << 20;

    /** Sends {@code megabytes} MiB from namespace {@code from} to {@code toAddress}:{@code port} in namespace {@code to}. */
    static TcpTransfer send(String from, String to, String toAddress, int port, int megabytes) throws Exception {
        InetSocketAddress address = new InetSocketAddress(toAddress, port);
        ServerSocket server = NetNamespace.call(to, () -> {
            ServerSocket socket = new ServerSocket();
            socket.bind(address);
            return socket;
        });
        try (server) {
            server.setSoTimeout(30_000);
            CompletableFuture<TcpTransfer> received = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().name("tcp-receiver").start(() -> {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(30_000);
                    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                    byte[] buffer = new byte[1 << 16];
                    long total = 0;
                    InputStream in = socket.getInputStream();
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha256.update(buffer, 0, n);
                        total += n;
                    }
                    received.complete(
                            new TcpTransfer(total, null, HexFormat.of().formatHex(sha256.digest())));
                } catch (Exception e) {
                    received.completeExceptionally(e);
                }
            });
            Socket client = NetNamespace.call(from, () -> {
                Socket socket = new Socket();
                socket.connect(address, 10_000);
                return socket;
            });
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (client) {
                Random random = new Random(port);
                byte[] chunk = new byte[CHUNK];
                OutputStream out = client.getOutputStream();
                for (int i = 0; i < megabytes; i++) {
                    random.nextBytes(chunk);
                    sha256.update(chunk);
                    out.write(chunk);
                }
                client.shutdownOutput();
                TcpTransfer result = received.get(120, TimeUnit.SECONDS);
                receiver.join(10_000);
                return new TcpTransfer(
                        result.bytes(), HexFormat.of().formatHex(sha256.digest()), result.receivedSha256());
            }
        }
    }
}
