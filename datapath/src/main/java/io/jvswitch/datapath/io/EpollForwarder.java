package io.jvswitch.datapath.io;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.PortListener;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.netio.Epoll;
import io.jvswitch.netio.EventFd;
import io.jvswitch.netio.MessageBatch;
import io.jvswitch.netio.NativeException;
import io.jvswitch.netio.NetNamespace;
import io.jvswitch.netio.PartialChecksum;
import io.jvswitch.netio.VirtioNetHeader;
import io.jvswitch.wire.PacketBuffer;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * The real switch's datapath thread: one platform thread owns the {@link Datapath} and sleeps in {@code epoll_wait}
 * over every real port's descriptor (TAP devices, packet sockets), the underlay's sockets, and an eventfd that {@link
 * #submit} signals. When something is readable it receives up to {@value #BATCH} packets from it straight into packet
 * buffers of the datapath's pool and switches each in place; between batches it runs the submitted tasks (configuration,
 * flow mods, dumps), and about once a second the datapath's timers (flow expiry, MAC aging). With the underlay's UDP
 * offloads on, its sockets receive into 64 KB buffers of the thread's own instead: a message may hold many datagrams
 * the kernel coalesced ({@code UDP_GRO}), each then copied into a pool buffer and switched on its own; a single
 * datagram is switched in place as before.
 *
 * <p>The thread can live in a named network namespace: it enters it before opening anything, so the underlay's sockets
 * and the TAP devices ports create in submitted tasks belong there. Ports added or removed (in submitted tasks) are
 * watched or forgotten at once; a removed port's device is closed.
 *
 * <p>On the forwarding path nothing is allocated per packet, and nothing a packet does stops the thread: a packet whose
 * switching throws is dropped and counted ({@link IoDrop#PROCESSING_FAILED}), as is everything received while
 * forwarding is off ({@link IoDrop#FORWARDING_DISABLED}).
 */
public final class EpollForwarder implements DatapathThread, PortListener {
    /** Packets received from one descriptor before the others get their turn. */
    public static final int BATCH = 32;

    private static final System.Logger LOG = System.getLogger(EpollForwarder.class.getName());
    private static final long TIMER_INTERVAL_NANOS = 1_000_000_000L;
    private static final int MAX_EVENTS = 64;
    private static final long WAKE_TOKEN = 0;
    /** Room for a message of coalesced UDP datagrams: an IPv4 or IPv6 packet's payload is at most 65535 bytes. */
    static final int COALESCED_CAPACITY = 65536;

    /** A descriptor that fails this many times in a row is no longer watched: it would spin the thread. */
    private static final int FAILURES_BEFORE_GIVING_UP = 1000;

    private final Datapath datapath;
    private final SocketUnderlay underlay;
    private final String namespace;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Object lifecycle = new Object();
    private volatile boolean forwarding = true;
    private volatile boolean stopping;

    // Owned by the thread.
    private Epoll epoll;
    private EventFd wake;
    private MessageBatch batch;
    private PacketBuffer[] buffers;
    /**
     * With the underlay's UDP offloads: its own batch of 64 KB buffers (a message may hold many coalesced datagrams),
     * else null and the underlay shares {@link #batch}.
     */
    private MessageBatch underlayBatch;

    private PacketBuffer[] underlayBuffers;
    private Arena underlayArena;
    private Source[] sources = new Source[16];
    private final Map<PortDevice, Source> portSources = new IdentityHashMap<>();
    private long processingFailures;

    private EpollForwarder(Datapath datapath, SocketUnderlay underlay, String namespace, String threadName) {
        this.datapath = datapath;
        this.underlay = underlay;
        this.namespace = namespace;
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    }

    /**
     * Starts the thread for {@code datapath}: it enters {@code namespace} (null: stay in this process's), opens the
     * underlay's sockets there (null: no tunnels), watches the ports the datapath already has, and forwards. Returns
     * once all that is done.
     *
     * @throws NativeException when the namespace, a socket or a port's descriptor cannot be set up (nothing is left
     *     running)
     */
    public static EpollForwarder start(Datapath datapath, SocketUnderlay underlay, String namespace, String threadName)
            throws NativeException {
        EpollForwarder forwarder = new EpollForwarder(datapath, underlay, namespace, threadName);
        forwarder.thread.start();
        try {
            forwarder.started.get();
        } catch (InterruptedException e) {
            forwarder.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the datapath thread started", e);
        } catch (ExecutionException e) {
            forwarder.close();
            if (e.getCause() instanceof NativeException cause) {
                throw cause;
            }
            throw new IllegalStateException("the datapath thread failed to start: " + e.getCause(), e.getCause());
        }
        return forwarder;
    }

    @Override
    public Datapath datapath() {
        return datapath;
    }

    /** The underlay, or null when the datapath has no tunnels. */
    public SocketUnderlay underlay() {
        return underlay;
    }

    /** The network namespace the thread runs in, or null for the process's own. */
    public String namespace() {
        return namespace;
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                result.complete(task.call());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        };
        synchronized (lifecycle) {
            if (stopping) {
                result.completeExceptionally(new IllegalStateException(thread.getName() + " is stopped"));
                return result;
            }
            tasks.add(run);
        }
        if (Thread.currentThread() != thread) {
            try {
                wake.signal();
            } catch (NativeException e) {
                result.completeExceptionally(e);
            }
        }
        return result;
    }

    @Override
    public void forwarding(boolean enabled) {
        this.forwarding = enabled;
    }

    /** The loop runs the datapath's timers every {@code TIMER_INTERVAL_NANOS}. */
    @Override
    public boolean runsTimers() {
        return true;
    }

    @Override
    public boolean forwarding() {
        return forwarding;
    }

    /**
     * Stops the thread after the tasks already submitted; closes the underlay's sockets and every real port's device
     * (their TAP interfaces disappear). Waits for the thread to end.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (stopping) {
                awaitEnd();
                return;
            }
            stopping = true;
        }
        EventFd toSignal = wake;
        if (toSignal != null) {
            try {
                toSignal.signal();
            } catch (NativeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not wake " + thread.getName() + " to stop it", e);
            }
        }
        awaitEnd();
    }

    private void awaitEnd() {
        if (Thread.currentThread() == thread) {
            return; // a task closing its own thread: the loop ends after it
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the thread ----

    private void run() {
        try {
            if (namespace != null) {
                NetNamespace.enter(namespace);
            }
            epoll = Epoll.open(MAX_EVENTS);
            wake = EventFd.open();
            epoll.add(wake.fd(), WAKE_TOKEN);
            batch = new MessageBatch(BATCH);
            buffers = new PacketBuffer[BATCH];
            for (int i = 0; i < BATCH; i++) {
                buffers[i] = datapath.bufferPool().take();
                // The receive goes behind the default headroom: room for the outer headers the underlay restores.
                int headroom = PacketBuffer.DEFAULT_HEADROOM;
                batch.buffer(
                        i,
                        buffers[i].memory(),
                        headroom,
                        (int) buffers[i].memory().byteSize() - headroom);
            }
            if (underlay != null && underlay.udpOffloads()) {
                underlayArena = Arena.ofShared();
                underlayBatch = new MessageBatch(BATCH);
                underlayBuffers = new PacketBuffer[BATCH];
                int headroom = PacketBuffer.DEFAULT_HEADROOM;
                for (int i = 0; i < BATCH; i++) {
                    underlayBuffers[i] =
                            new PacketBuffer(underlayArena.allocate(headroom + COALESCED_CAPACITY, 64), headroom);
                    underlayBatch.buffer(i, underlayBuffers[i].memory(), headroom, COALESCED_CAPACITY);
                }
            }
            if (underlay != null) {
                underlay.open(datapath);
                for (SocketUnderlay.Receiver receiver : underlay.receivers()) {
                    watch(new UnderlaySource(receiver));
                }
            }
            datapath.addPortListener(this);
            for (Port port : datapath.ports()) {
                portAdded(port);
            }
        } catch (Throwable e) {
            started.completeExceptionally(e instanceof UncheckedIOException u ? u.getCause() : e);
            release();
            return;
        }
        started.complete(null);
        try {
            loop();
        } catch (Throwable e) {
            // Only a broken epoll or eventfd gets here; packets and tasks cannot.
            LOG.log(System.Logger.Level.ERROR, thread.getName() + " stopped: " + e, e);
        } finally {
            synchronized (lifecycle) {
                stopping = true;
            }
            runTasks();
            release();
        }
    }

    private void loop() throws NativeException {
        long nextTimers = System.nanoTime() + TIMER_INTERVAL_NANOS;
        while (!stopping) {
            long wait = Math.max(0, (nextTimers - System.nanoTime()) / 1_000_000) + 1;
            int ready = epoll.await((int) Math.min(wait, TIMER_INTERVAL_NANOS / 1_000_000));
            for (int i = 0; i < ready; i++) {
                long token = epoll.token(i);
                if (token == WAKE_TOKEN) {
                    wake.drain();
                    runTasks();
                    continue;
                }
                Source source = sources[(int) token];
                if (source != null) {
                    poll(source);
                }
            }
            flushPorts();
            flushUnderlay();
            long now = System.nanoTime();
            if (now - nextTimers >= 0) {
                nextTimers = now + TIMER_INTERVAL_NANOS;
                try {
                    datapath.runTimers();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "the datapath's timers failed", e);
                }
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run(); // completes its own future, whatever happens
            // What a task sent (a packet-out, a test's injection) leaves before the next task can look at counters.
            flushPorts();
            flushUnderlay();
        }
    }

    /** TCP segments a TAP port's coalescing holds leave, merged, once per round of the loop. */
    private void flushPorts() {
        for (Source source : sources) {
            if (source != null) {
                source.flush();
            }
        }
    }

    /** Tunnel packets leave together, once per round of the loop (or sooner, when a batch fills up). */
    private void flushUnderlay() {
        if (underlay != null && underlay.isOpen()) {
            underlay.flush();
        }
    }

    private void poll(Source source) {
        try {
            source.poll();
            source.failures = 0;
        } catch (NativeException | RuntimeException e) {
            datapath.countDrop(IoDrop.RECEIVE_FAILED);
            if (++source.failures == 1) {
                LOG.log(System.Logger.Level.WARNING, "receiving from " + source + " failed: " + e.getMessage());
            }
            if (source.failures >= FAILURES_BEFORE_GIVING_UP) {
                LOG.log(System.Logger.Level.ERROR, source + " keeps failing: no longer watched");
                unwatch(source);
            }
        }
    }

    /** A packet that arrived on a real port, in {@code packet}: switched unless forwarding is off. */
    private void fromPort(EthernetPort port, PacketBuffer packet) {
        if (!forwarding) {
            port.counters().receiveDropped();
            datapath.countDrop(IoDrop.FORWARDING_DISABLED);
            return;
        }
        try {
            datapath.receive(port, packet);
        } catch (RuntimeException e) {
            processingFailed(e);
        }
    }

    /** A tunnel packet, made a whole outer frame in {@code packet}: decapsulated and switched unless forwarding is off. */
    private void fromUnderlay(PacketBuffer packet) {
        if (!forwarding) {
            datapath.countDrop(IoDrop.FORWARDING_DISABLED);
            return;
        }
        try {
            datapath.receiveFromUnderlay(packet);
        } catch (RuntimeException e) {
            processingFailed(e);
        }
    }

    private void processingFailed(RuntimeException e) {
        datapath.countDrop(IoDrop.PROCESSING_FAILED);
        // The first, then every power of two: a steady failure must not flood the log.
        if (Long.bitCount(++processingFailures) == 1) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "dropped a packet whose switching failed (" + processingFailures + " so far): " + e,
                    e);
        }
    }

    private void release() {
        datapath.removePortListener(this);
        for (Source source : sources) {
            if (source != null) {
                unwatch(source);
            }
        }
        if (underlay != null) {
            underlay.close();
        }
        if (buffers != null) {
            for (PacketBuffer buffer : buffers) {
                if (buffer != null) {
                    datapath.bufferPool().give(buffer);
                }
            }
        }
        if (batch != null) {
            batch.close();
        }
        if (underlayBatch != null) {
            underlayBatch.close();
        }
        if (underlayArena != null) {
            underlayArena.close();
        }
        if (epoll != null) {
            epoll.close();
        }
        synchronized (lifecycle) {
            if (wake != null) {
                wake.close();
            }
        }
        // A task submitted after the last runTasks never runs: fail it rather than leave its caller waiting.
        runTasks();
    }

    // ---- ports ----

    @Override
    public void portAdded(Port port) {
        if (port instanceof EthernetPort ethernet && ethernet.sink() instanceof PortDevice device) {
            Source source = switch (device) {
                case TapPortDevice tap -> new TapSource(ethernet, tap);
                case SystemPortDevice system -> new SystemSource(ethernet, system);
            };
            try {
                watch(source);
            } catch (NativeException e) {
                throw new UncheckedIOException(e);
            }
            portSources.put(device, source);
        }
    }

    @Override
    public void portRemoved(Port port) {
        if (port instanceof EthernetPort ethernet && ethernet.sink() instanceof PortDevice device) {
            Source source = portSources.remove(device);
            if (source != null) {
                unwatch(source);
            }
        }
    }

    private void watch(Source source) throws NativeException {
        int token = 1;
        while (token < sources.length && sources[token] != null) {
            token++;
        }
        if (token == sources.length) {
            sources = Arrays.copyOf(sources, sources.length * 2);
        }
        epoll.add(source.fd(), token);
        source.token = token;
        sources[token] = source;
    }

    /** Stops watching the source and closes it if it is a port's device (the port owns it, and is going away). */
    private void unwatch(Source source) {
        if (sources[source.token] == source) {
            sources[source.token] = null;
        }
        try {
            epoll.remove(source.fd());
        } catch (NativeException | RuntimeException e) {
            // already closed elsewhere: nothing left to watch
        }
        source.close();
    }

    /** The ports this thread watches, by interface name (for tests and {@code show}). */
    List<String> watchedPorts() {
        List<String> names = new ArrayList<>();
        for (PortDevice device : portSources.keySet()) {
            names.add(device.interfaceName());
        }
        return names;
    }

    /** Something the thread watches: a descriptor and how to receive from it. */
    private abstract static class Source {
        int token;
        int failures;

        abstract int fd();

        /** Receives up to a batch and hands every packet to the datapath. */
        abstract void poll() throws NativeException;

        abstract void close();

        /** Writes what the source's device holds back for the end of the round (coalesced frames), if anything. */
        void flush() {}
    }

    private final class TapSource extends Source implements TcpSegmenter.Sink {
        private final EthernetPort port;
        private final TapPortDevice device;

        TapSource(EthernetPort port, TapPortDevice device) {
            this.port = port;
            this.device = device;
            // This thread flushes after every round and every task: segments of one flow may wait to be merged.
            device.coalescing(true);
        }

        @Override
        int fd() {
            return device.fd();
        }

        @Override
        void flush() {
            device.flush();
        }

        @Override
        void poll() throws NativeException {
            // A TAP gives one frame (or TCP super-frame) per read, into the device's own large buffer; each is switched
            // before the next is read. A super-frame's segments are built one by one in a pool buffer.
            for (int i = 0; i < BATCH; i++) {
                int length = device.read();
                if (length == 0) {
                    return;
                }
                if (length < 0) {
                    dropped(IoDrop.FRAME_TRUNCATED);
                    continue;
                }
                PacketBuffer frame = device.received();
                int gsoType = device.gsoType() & ~VirtioNetHeader.GSO_ECN;
                if (gsoType == VirtioNetHeader.GSO_NONE) {
                    if ((device.flags() & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
                        try {
                            PartialChecksum.complete(
                                    frame.memory(),
                                    frame.start(),
                                    frame.length(),
                                    device.checksumStart(),
                                    device.checksumOffset());
                        } catch (IndexOutOfBoundsException e) {
                            dropped(IoDrop.BAD_OFFLOAD);
                            continue;
                        }
                    }
                    fromPort(port, frame);
                } else if (TcpSegmenter.segment(
                                frame.memory(),
                                frame.start(),
                                frame.length(),
                                gsoType,
                                device.gsoSize(),
                                buffers[0],
                                this)
                        < 0) {
                    dropped(IoDrop.BAD_OFFLOAD);
                }
            }
        }

        /** One segment of a super-frame, switched like any frame from the port. */
        @Override
        public void accept(PacketBuffer segment) {
            fromPort(port, segment);
        }

        private void dropped(IoDrop reason) {
            port.counters().receiveDropped();
            datapath.countDrop(reason);
        }

        @Override
        void close() {
            device.close();
        }

        @Override
        public String toString() {
            return "port " + port.name() + " (" + device + ")";
        }
    }

    private final class SystemSource extends Source {
        private final EthernetPort port;
        private final SystemPortDevice device;

        SystemSource(EthernetPort port, SystemPortDevice device) {
            this.port = port;
            this.device = device;
        }

        @Override
        int fd() {
            return device.fd();
        }

        @Override
        void poll() throws NativeException {
            int count = device.receive(batch);
            for (int i = 0; i < count; i++) {
                if (batch.truncated(i)) {
                    port.counters().receiveDropped();
                    datapath.countDrop(IoDrop.FRAME_TRUNCATED);
                    continue;
                }
                SystemPortDevice.complete(batch, i);
                PacketBuffer packet = buffers[i].reset((int) batch.offset(i));
                packet.length(batch.length(i));
                fromPort(port, packet);
            }
        }

        @Override
        void close() {
            device.close();
        }

        @Override
        public String toString() {
            return "port " + port.name() + " (" + device + ")";
        }
    }

    private final class UnderlaySource extends Source implements UdpGroSplitter.Sink {
        private final SocketUnderlay.Receiver receiver;
        /** The batch the message being split came in, and its slot: each datagram's headers come from there. */
        private MessageBatch current;

        private int currentSlot;

        UnderlaySource(SocketUnderlay.Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        int fd() {
            return receiver.fd();
        }

        @Override
        void poll() throws NativeException {
            // With UDP GRO the underlay has its own 64 KB buffers; without, it shares the ports' batch and buffers
            // (whose messages are never coalesced and always fit a pool buffer).
            MessageBatch received = underlayBatch != null ? underlayBatch : batch;
            PacketBuffer[] slots = underlayBatch != null ? underlayBuffers : buffers;
            int count = receiver.receive(received);
            // A datagram, like the shared batch's, must fit a pool buffer: the datapath copies what it sends on.
            int poolRoom = (int) buffers[0].memory().byteSize() - PacketBuffer.DEFAULT_HEADROOM;
            for (int i = 0; i < count; i++) {
                int length = received.length(i);
                int segmentSize = received.segmentSize(i);
                if (received.truncated(i)) {
                    datapath.countDrop(IoDrop.FRAME_TRUNCATED);
                } else if (segmentSize == 0 || segmentSize >= length) {
                    if (length > poolRoom) {
                        datapath.countDrop(IoDrop.FRAME_TRUNCATED);
                        continue;
                    }
                    // One datagram: switched in place, as without offloads.
                    PacketBuffer packet = slots[i].reset((int) received.offset(i));
                    packet.length(length);
                    receiver.restoreHeaders(received, i, packet);
                    fromUnderlay(packet);
                } else {
                    current = received;
                    currentSlot = i;
                    int segments = UdpGroSplitter.split(
                            received.segment(i), received.offset(i), length, segmentSize, buffers[0], this);
                    if (segments < 0) {
                        datapath.countDrop(IoDrop.BAD_COALESCED_DATAGRAMS);
                    } else {
                        underlay.coalescedReceived(segments);
                    }
                }
            }
        }

        /** One datagram of a coalesced message, in a pool buffer: its headers restored, then switched. */
        @Override
        public void accept(PacketBuffer datagram) {
            receiver.restoreHeaders(current, currentSlot, datagram);
            fromUnderlay(datagram);
        }

        @Override
        void close() {
            // The underlay closes its own sockets.
        }

        @Override
        public String toString() {
            return "underlay " + receiver;
        }
    }
}
