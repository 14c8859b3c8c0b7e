package io.jvswitch.wire.l2;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArpTest {
    // The tutorial's first packet: VM1 (10.0.0.1, fa:16:3e:00:00:01) asks who has 10.0.0.2, and VM2
    // (fa:16:3e:1f:19:55) replies. tshark 4.0 decodes both as Ethernet/IPv4 ARP with these addresses
    // (written with text2pcap after an Ethernet header).
    private static final String REQUEST =
            "0001" + "0800" + "06" + "04" + "0001" + "fa163e000001" + "0a000001" + "000000000000" + "0a000002";
    private static final String REPLY =
            "0001" + "0800" + "06" + "04" + "0002" + "fa163e1f1955" + "0a000002" + "fa163e000001" + "0a000001";

    private static final long VM1_MAC = 0xfa163e000001L;
    private static final long VM2_MAC = 0xfa163e1f1955L;
    private static final int VM1_IP = Ipv4Address.parse("10.0.0.1");
    private static final int VM2_IP = Ipv4Address.parse("10.0.0.2");

    private static byte[] raw(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static MemorySegment bytes(String hex) {
        return MemorySegment.ofArray(raw(hex));
    }

    @Test
    void decodesTheTutorialsRequest() {
        Arp arp = new Arp().wrap(bytes(REQUEST), 0);
        assertThat(arp.offset()).isZero();
        assertThat(arp.hardwareType()).isEqualTo(Arp.HARDWARE_ETHERNET);
        assertThat(arp.protocolType()).isEqualTo(0x0800);
        assertThat(arp.hardwareLength()).isEqualTo(6);
        assertThat(arp.protocolLength()).isEqualTo(4);
        assertThat(arp.operation()).isEqualTo(Arp.OP_REQUEST);
        assertThat(arp.senderMac()).isEqualTo(VM1_MAC);
        assertThat(arp.senderIp()).isEqualTo(0x0a000001);
        assertThat(arp.targetMac()).isZero();
        assertThat(arp.targetIp()).isEqualTo(0x0a000002);
    }

    @Test
    void decodesTheReplyAfterAnEthernetHeader() {
        MemorySegment frame = bytes("fa163e000001" + "fa163e1f1955" + "0806" + REPLY);
        Arp arp = new Arp().wrap(frame, Ethernet.HEADER_LENGTH);
        assertThat(arp.offset()).isEqualTo(14);
        assertThat(arp.hardwareType()).isEqualTo(1);
        assertThat(arp.protocolType()).isEqualTo(Ethernet.TYPE_IPV4);
        assertThat(arp.hardwareLength()).isEqualTo(6);
        assertThat(arp.protocolLength()).isEqualTo(4);
        assertThat(arp.operation()).isEqualTo(Arp.OP_REPLY);
        assertThat(arp.senderMac()).isEqualTo(VM2_MAC);
        assertThat(arp.senderIp()).isEqualTo(VM2_IP);
        assertThat(arp.targetMac()).isEqualTo(VM1_MAC);
        assertThat(arp.targetIp()).isEqualTo(VM1_IP);
    }

    @Test
    void encodesARequestAtAnOffset() {
        byte[] buffer = new byte[5 + Arp.HEADER_LENGTH];
        new Arp().wrap(MemorySegment.ofArray(buffer), 5).write(Arp.OP_REQUEST, VM1_MAC, VM1_IP, 0, VM2_IP);
        assertThat(HexFormat.of().formatHex(buffer)).isEqualTo("0000000000" + REQUEST);
    }

    @Test
    void encodesAReplyAfterAnEthernetHeader() {
        byte[] frame = new byte[Ethernet.HEADER_LENGTH + Arp.HEADER_LENGTH];
        MemorySegment segment = MemorySegment.ofArray(frame);
        new Ethernet().wrap(segment, 0).write(VM1_MAC, VM2_MAC, Ethernet.TYPE_ARP);
        new Arp().wrap(segment, Ethernet.HEADER_LENGTH).write(Arp.OP_REPLY, VM2_MAC, VM2_IP, VM1_MAC, VM1_IP);
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo("fa163e000001" + "fa163e1f1955" + "0806" + REPLY);
    }

    @Test
    void singleFieldSettersTouchOnlyTheirBytes() {
        // Turning the request into its reply in place, as a responder does.
        byte[] packet = raw(REQUEST);
        new Arp()
                .wrap(MemorySegment.ofArray(packet), 0)
                .operation(Arp.OP_REPLY)
                .targetMac(VM1_MAC)
                .targetIp(VM1_IP)
                .senderMac(VM2_MAC)
                .senderIp(VM2_IP);
        assertThat(HexFormat.of().formatHex(packet)).isEqualTo(REPLY);

        Arp arp = new Arp().wrap(MemorySegment.ofArray(packet), 0);
        arp.hardwareType(6).protocolType(0x86dd).hardwareLength(8).protocolLength(16);
        assertThat(HexFormat.of().formatHex(packet, 0, 8)).isEqualTo("000686dd" + "0810" + "0002");
    }

    @Test
    void validatesRequestAndReply() {
        assertThat(Arp.validate(bytes(REQUEST), 0, 28)).isNull();
        assertThat(Arp.validate(bytes("fa163e000001" + "fa163e1f1955" + "0806" + REPLY), 14, 28))
                .isNull();
        // Ethernet padding to 60 bytes after the packet is fine.
        assertThat(Arp.validate(bytes(REQUEST + "00".repeat(18)), 0, 46)).isNull();
    }

    @Test
    void everyTruncationIsArpTruncated() {
        byte[] packet = raw(REQUEST);
        for (int length = 0; length < packet.length; length++) {
            MemorySegment exact = MemorySegment.ofArray(Arrays.copyOf(packet, length));
            assertThat(Arp.validate(exact, 0, length)).as("%d bytes", length).isEqualTo(Malformed.ARP_TRUNCATED);
        }
    }

    @Test
    void truncatedWhenShorterThanItsOwnLengthsSay() {
        // A well-formed fixed part announcing 16-byte protocol addresses needs 8 + 12 + 32 = 52 bytes.
        byte[] packet = raw(REQUEST);
        packet[5] = 16;
        assertThat(Arp.validate(MemorySegment.ofArray(packet), 0, 28)).isEqualTo(Malformed.ARP_TRUNCATED);
        // The largest lengths a byte can hold must not overflow the check.
        packet[4] = (byte) 0xff;
        packet[5] = (byte) 0xff;
        assertThat(Arp.validate(MemorySegment.ofArray(packet), 0, 28)).isEqualTo(Malformed.ARP_TRUNCATED);
    }

    @Test
    void unsupportedHardwareType() {
        byte[] packet = raw(REQUEST);
        packet[1] = 6; // IEEE 802 networks
        assertThat(Arp.validate(MemorySegment.ofArray(packet), 0, 28)).isEqualTo(Malformed.ARP_UNSUPPORTED);
    }

    @Test
    void unsupportedProtocolType() {
        byte[] packet = raw(REQUEST);
        Bytes.u16(MemorySegment.ofArray(packet), 2, Ethernet.TYPE_IPV6);
        assertThat(Arp.validate(MemorySegment.ofArray(packet), 0, 28)).isEqualTo(Malformed.ARP_UNSUPPORTED);
    }

    @Test
    void unsupportedLengthsThatStillFit() {
        // 8-byte hardware addresses (EUI-64 style) with IPv4: 8 + 16 + 8 = 32 bytes, all present.
        byte[] packet = Arrays.copyOf(raw(REQUEST), 32);
        packet[4] = 8;
        assertThat(Arp.validate(MemorySegment.ofArray(packet), 0, 32)).isEqualTo(Malformed.ARP_UNSUPPORTED);
        // 6-byte hardware addresses with 2-byte protocol addresses: 24 bytes.
        packet = raw(REQUEST);
        packet[5] = 2;
        assertThat(Arp.validate(MemorySegment.ofArray(packet), 0, 24)).isEqualTo(Malformed.ARP_UNSUPPORTED);
    }

    @Test
    void randomDamageNeverThrows() {
        Random random = new Random(826);
        byte[] golden = raw(REQUEST);
        for (int round = 0; round < 100_000; round++) {
            int length = random.nextInt(golden.length + 8);
            byte[] input = Arrays.copyOf(golden, length);
            for (int flips = random.nextInt(4); flips > 0 && length > 0; flips--) {
                input[random.nextInt(length)] = (byte) random.nextInt(256);
            }
            Malformed reason = Arp.validate(MemorySegment.ofArray(input), 0, length);
            if (length < 8 + 2 * (input.length > 5 ? (input[4] & 0xff) + (input[5] & 0xff) : 0)) {
                assertThat(reason).isEqualTo(Malformed.ARP_TRUNCATED);
            }
        }
    }
}
