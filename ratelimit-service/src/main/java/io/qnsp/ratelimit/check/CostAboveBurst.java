package io.qnsp.ratelimit.check;

import io.qnsp.common.error.InvalidField;

import java.util.Map;

/** A check asked for more tokens than the key's bucket can ever hold, so it could never be admitted. */
public class CostAboveBurst extends InvalidField {

    CostAboveBurst(int burstCapacity) {
        super("cost", "must not exceed the key's burst capacity of " + burstCapacity,
                Map.of("burstCapacity", burstCapacity));
    }
}
