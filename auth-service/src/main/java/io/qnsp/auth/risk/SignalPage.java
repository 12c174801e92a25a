package io.qnsp.auth.risk;

import java.util.List;

/** The newest of a user's signals and how many match in all. */
public record SignalPage(List<SignalView> signals, long total) {
}
