package io.jvswitch.ofproto.classifier;

import io.jvswitch.ofproto.flow.Match;

/**
 * One rule in a classifier: what it matches and at which priority (higher wins).
 *
 * <p>Both must stay the same while the rule is in a classifier: the classifier files the rule under them.
 */
public interface Classified {
    Match match();

    int priority();
}
