package io.jvswitch.ofproto.text;

import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import java.util.List;

/**
 * Reads a packet's flow written in match syntax, as {@code ovs-appctl ofproto/trace} takes it: {@code
 * in_port=1,dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1}. Fields
 * not given are zero; masks make no sense for one packet and are refused.
 */
public final class FlowKeyParser {
    private FlowKeyParser() {}

    public static FlowKey parse(String text) {
        List<Token> tokens = Tokenizer.tokens(text);
        for (Token token : tokens) {
            if (!MatchParser.isMatchKey(token.key())) {
                throw MatchParser.unknown(token, text);
            }
            if (token.value() != null && token.value().indexOf('/') >= 0) {
                throw new FlowParseException(
                        token.key() + ": a packet's flow takes exact values, not masks",
                        text,
                        token.valuePosition(),
                        token.value().length());
            }
        }
        Match match = MatchParser.parse(tokens, text);
        FlowKey key = new FlowKey();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            key.word(i, match.value(i));
        }
        return key;
    }
}
