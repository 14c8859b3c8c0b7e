package io.jvswitch.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.exec.PacketEditor;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacketEditorTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    private static byte[] udp(int vlan) {
        FrameBuilder frame = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(1000, 53)
                .payload(new byte[] {1, 2, 3});
        if (vlan > 0) {
            frame.vlan(vlan);
        }
        return frame.build();
    }

    @Test
    void pushThenPopATagGivesTheFrameBack() {
        PacketBuffer packet = PacketBuffer.of(arena, udp(0));
        PacketEditor.pushVlan(packet, 0x0005);
        assertThat(packet.toByteArray()).isEqualTo(udp(5));
        PacketEditor.setVlan(packet, 0x0007);
        assertThat(packet.toByteArray()).isEqualTo(udp(7));
        PacketEditor.popVlan(packet);
        assertThat(packet.toByteArray()).isEqualTo(udp(0));
        PacketEditor.popVlan(packet); // untagged: nothing to pop
        assertThat(packet.toByteArray()).isEqualTo(udp(0));
    }

    @Test
    void ipv4RewritesKeepEveryChecksumRight() {
        PacketBuffer packet = PacketBuffer.of(arena, udp(3));
        PacketEditor.setIpv4(packet, 0x0a000063, 0xc0a80101, 0xb8, 17);
        byte[] expected = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .vlan(3)
                .ipv4(0x0a000063, 0xc0a80101)
                .tos(0xb8)
                .ttl(17)
                .udp(1000, 53)
                .payload(new byte[] {1, 2, 3})
                .build();
        assertThat(packet.toByteArray()).isEqualTo(expected);
        MemorySegment bytes = MemorySegment.ofArray(packet.toByteArray());
        assertThat(Checksum.verifies(bytes, 18, 20, 0)).isTrue();
    }

    @Test
    void arpRewriteTurnsARequestIntoAReply() {
        PacketBuffer packet = PacketBuffer.of(
                arena,
                new FrameBuilder()
                        .ethernet(0xfa163e000001L, 0xffffffffffffL)
                        .vlan(1)
                        .arp(Arp.OP_REQUEST, 0xfa163e000001L, 0x0a000001, 0, 0x0a000002)
                        .build());
        PacketEditor.setArp(packet, Arp.OP_REPLY, 0xfa163e1f1955L, 0x0a000002, 0xfa163e000001L, 0x0a000001);
        PacketEditor.setEthernet(packet, 0xfa163e1f1955L, 0xfa163e000001L);
        assertThat(packet.toByteArray())
                .isEqualTo(new FrameBuilder()
                        .ethernet(0xfa163e1f1955L, 0xfa163e000001L)
                        .vlan(1)
                        .arp(Arp.OP_REPLY, 0xfa163e1f1955L, 0x0a000002, 0xfa163e000001L, 0x0a000001)
                        .build());
    }

    @Test
    void popEthernetLeavesTheIpPacketAndSaysItsEthertypeAndPushEthernetPutsBackZeroes() {
        byte[] ip = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(1000, 53)
                .payload(new byte[] {1, 2, 3})
                .buildL3();
        PacketBuffer packet = PacketBuffer.of(arena, udp(3));
        assertThat(PacketEditor.popEthernet(packet)).isEqualTo(0x0800);
        assertThat(packet.toByteArray()).isEqualTo(ip);

        PacketEditor.pushEthernet(packet, 0x0800);
        byte[] zeroes = new byte[14];
        zeroes[12] = 0x08;
        assertThat(packet.toByteArray())
                .startsWith(zeroes)
                .hasSize(14 + ip.length)
                .endsWith(ip);
    }

    @Test
    void popEthernetTakesEveryTagAndLeavesAFrameTooShortAlone() {
        byte[] qinq =
                java.util.HexFormat.of().parseHex("fa163e000002fa163e000001" + "88a80064" + "81000005" + "86dd" + "60");
        PacketBuffer packet = PacketBuffer.of(arena, qinq);
        assertThat(PacketEditor.popEthernet(packet)).isEqualTo(0x86dd);
        assertThat(packet.toByteArray()).containsExactly(0x60);

        byte[] cut = java.util.HexFormat.of().parseHex("fa163e000002fa163e000001" + "8100" + "0005");
        PacketBuffer truncated = PacketBuffer.of(arena, cut);
        assertThat(PacketEditor.popEthernet(truncated)).isEqualTo(-1);
        assertThat(truncated.toByteArray()).isEqualTo(cut);
    }
}
