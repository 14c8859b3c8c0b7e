package io.jvswitch.lab.script;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.guest.GuestDrop;
import io.jvswitch.lab.guest.PingOptions;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.guest.UdpDatagram;
import io.jvswitch.lab.topology.Durations;
import io.jvswitch.lab.topology.Step;
import io.jvswitch.wire.MacAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Plays a script on a lab, step by step, in virtual time. A ping runs until every request is answered or timed out;
 * a datagram is sent and time runs until nothing is in flight; {@code advance} runs the given time; expectations
 * look at the guests as they are. A failed expectation is reported and the script goes on.
 */
public final class ScriptRunner {
    private final Lab lab;

    public ScriptRunner(Lab lab) {
        this.lab = lab;
    }

    public ScriptReport run(List<Step> script) {
        List<ScriptReport.Result> results = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            Step step = script.get(i);
            Outcome outcome = run(step);
            results.add(new ScriptReport.Result(i, step, lab.scheduler().now(), outcome.passed, outcome.text));
        }
        return new ScriptReport(results);
    }

    private record Outcome(boolean passed, String text) {}

    private Outcome run(Step step) {
        return switch (step) {
            case Step.Ping ping -> ping(ping);
            case Step.Udp udp -> {
                GuestDrop refused = lab.vm(udp.from())
                        .sendUdp(
                                udp.to(),
                                udp.sourcePort() == null ? 40000 : udp.sourcePort(),
                                udp.port(),
                                (udp.payload() == null ? "" : udp.payload()).getBytes(StandardCharsets.UTF_8));
                lab.scheduler().runUntilIdle();
                String what = "udp " + udp.from() + " -> " + udp.to() + ":" + udp.port();
                yield refused == null
                        ? new Outcome(true, what + ": sent")
                        : new Outcome(false, what + ": refused (" + refused.description() + ")");
            }
            case Step.UdpEcho echo -> {
                lab.vm(echo.vm()).udpEcho(echo.port());
                yield new Outcome(true, "udp echo service on " + echo.vm() + ":" + echo.port());
            }
            case Step.Advance advance -> {
                lab.scheduler().runFor(advance.duration());
                yield new Outcome(true, "advance " + Durations.format(advance.duration()));
            }
            case Step.Join join -> {
                lab.underlay().host(join.host()).join(join.group());
                yield new Outcome(true, join.host() + " joins " + join.group());
            }
            case Step.Leave leave -> {
                lab.underlay().host(leave.host()).leave(leave.group());
                yield new Outcome(true, leave.host() + " leaves " + leave.group());
            }
            case Step.ExpectUdp expect -> expectUdp(expect);
            case Step.ExpectNeighbor expect -> expectNeighbor(expect);
        };
    }

    private Outcome ping(Step.Ping step) {
        PingOptions options = new PingOptions(
                step.count() == null ? 1 : step.count(),
                step.interval() == null ? PingOptions.DEFAULT.interval() : step.interval(),
                step.timeout() == null ? PingOptions.DEFAULT.timeout() : step.timeout(),
                step.size() == null ? PingOptions.DEFAULT.size() : step.size());
        PingResult result = lab.vm(step.from()).ping(step.to(), options).await();
        StringBuilder text = new StringBuilder("ping " + step.from() + " -> " + step.to() + ": " + result.summary());
        if (!result.replies().isEmpty()) {
            long min = Long.MAX_VALUE;
            long max = 0;
            long sum = 0;
            for (PingResult.Reply reply : result.replies()) {
                min = Math.min(min, reply.rttNanos());
                max = Math.max(max, reply.rttNanos());
                sum += reply.rttNanos();
            }
            text.append(String.format(
                    Locale.ROOT,
                    ", rtt min/avg/max = %.3f/%.3f/%.3f ms",
                    min / 1e6,
                    sum / 1e6 / result.replies().size(),
                    max / 1e6));
        }
        boolean passed = switch (step.expect()) {
            case null -> true;
            case SUCCESS -> result.success();
            case FAILURE -> result.failure();
        };
        if (!passed) {
            text.append(" (expected ").append(step.expect().text()).append(')');
        }
        return new Outcome(passed, text.toString());
    }

    private Outcome expectUdp(Step.ExpectUdp expect) {
        Guest guest = lab.vm(expect.vm());
        InetAddress from = expect.from() == null ? null : IpPrefix.parseAddress(expect.from());
        long count = 0;
        for (UdpDatagram datagram : guest.udpInbox()) {
            if ((expect.port() == null || datagram.destinationPort() == expect.port())
                    && (from == null || datagram.source().equals(from))) {
                count++;
            }
        }
        String what = expect.vm() + " received " + count + " datagram" + (count == 1 ? "" : "s")
                + (expect.port() == null ? "" : " on port " + expect.port())
                + (from == null ? "" : " from " + expect.from());
        boolean passed = count == expect.count();
        return new Outcome(passed, passed ? what : what + " (expected " + expect.count() + ")");
    }

    private Outcome expectNeighbor(Step.ExpectNeighbor expect) {
        OptionalLong mac = lab.vm(expect.vm()).neighbor(expect.ip());
        boolean wantPresent = expect.present() == null || expect.present();
        String what = expect.vm() + " neighbor " + expect.ip() + ": "
                + (mac.isPresent() ? MacAddress.format(mac.getAsLong()) : "none");
        boolean passed;
        if (!wantPresent) {
            passed = mac.isEmpty();
            return new Outcome(passed, passed ? what : what + " (expected none)");
        }
        passed = mac.isPresent() && (expect.mac() == null || mac.getAsLong() == MacAddress.parse(expect.mac()));
        return new Outcome(
                passed,
                passed ? what : what + " (expected " + (expect.mac() == null ? "an entry" : expect.mac()) + ")");
    }
}
