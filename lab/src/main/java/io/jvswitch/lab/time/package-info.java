/**
 * Virtual time: a clock that only a scheduler moves, so that the lab runs minutes of protocol timeouts in
 * milliseconds, the same way on every run.
 */
package io.jvswitch.lab.time;
