package io.qnsp.tenant.isolation;

/**
 * One check an audit ran.
 *
 * @param category data, network, compute or identity
 * @param name     what was checked
 * @param outcome  passed, failed (isolation broken) or inconclusive (the check could not run)
 * @param tested   how many items (rows, resources, keys) it tested
 * @param detail   what it found
 */
public record IsolationCheck(String category, String name, String outcome, int tested, String detail) {

    static IsolationCheck passed(String category, String name, int tested, String detail) {
        return new IsolationCheck(category, name, "passed", tested, detail);
    }

    static IsolationCheck failed(String category, String name, int tested, String detail) {
        return new IsolationCheck(category, name, "failed", tested, detail);
    }

    static IsolationCheck inconclusive(String category, String name, String detail) {
        return new IsolationCheck(category, name, "inconclusive", 0, detail);
    }
}
