/** Scripts: a topology's steps played on a lab in virtual time, with a report of each step. */
package io.jvswitch.lab.script;
