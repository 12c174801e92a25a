package io.qnsp.auth.risk;

import java.util.List;

/** One page of a tenant's policies and how many there are in all. */
public record PolicyPage(List<PolicyView> policies, long total) {
}
