package io.qnsp.billing.pricing;

import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Prices billable operations per plan, exactly: every amount is a {@link BigDecimal} in the book's currency, rounded
 * half up to the currency's minor unit only where an amount is charged (a line's total, a fee), never per unit.
 */
@Component
public class PriceBook {

    /** Unit prices are kept to this many decimal places (a millionth of the currency unit). */
    public static final int UNIT_PRICE_SCALE = 6;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Pattern PLAN_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");

    private final Currency currency;
    private final String defaultPlan;
    private final Map<String, BigDecimal> listPrices;
    private final Map<String, Plan> plans;

    /** A plan with its prices worked out. */
    public record Plan(String name, BigDecimal monthlyFee, BigDecimal discountPercent, Map<String, Rate> rates) {
    }

    public PriceBook(PriceBookSettings settings) {
        try {
            this.currency = Currency.getInstance(settings.currency());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("qnsp.billing.price-book.currency is no ISO 4217 code: "
                    + settings.currency());
        }
        this.listPrices = Collections.unmodifiableMap(new TreeMap<>(settings.unitPrices()));
        listPrices.forEach((operation, price) -> requirePrice(price, "unit-prices[" + operation + "]"));
        Map<String, Plan> built = new LinkedHashMap<>();
        settings.plans().forEach((name, plan) -> built.put(name, plan(name, plan)));
        this.plans = Collections.unmodifiableMap(built);
        if (!plans.containsKey(settings.defaultPlan())) {
            throw new IllegalStateException("qnsp.billing.price-book.default-plan '" + settings.defaultPlan()
                    + "' is not one of the plans " + plans.keySet());
        }
        this.defaultPlan = settings.defaultPlan();
    }

    private Plan plan(String name, PriceBookSettings.Plan plan) {
        String where = "qnsp.billing.price-book.plans." + name;
        if (!PLAN_NAME.matcher(name).matches()) {
            throw new IllegalStateException(where + ": a plan name is lower case letters, digits, _ and -");
        }
        BigDecimal fee = plan.monthlyFee();
        if (fee.signum() < 0 || fee.stripTrailingZeros().scale() > digits()) {
            throw new IllegalStateException(where + ".monthly-fee must be a non-negative amount in whole "
                    + currency.getCurrencyCode() + " minor units");
        }
        BigDecimal discount = plan.discountPercent();
        if (discount.signum() < 0 || discount.compareTo(HUNDRED) > 0) {
            throw new IllegalStateException(where + ".discount-percent must be between 0 and 100");
        }
        plan.unitPrices().forEach((operation, price) -> requirePrice(price, where + ".unit-prices[" + operation + "]"));
        plan.included().forEach((operation, units) -> {
            if (units == null || units < 0) {
                throw new IllegalStateException(where + ".included[" + operation + "] must be 0 or more");
            }
        });
        Map<String, Rate> rates = new TreeMap<>();
        TreeSet<String> operations = new TreeSet<>(listPrices.keySet());
        operations.addAll(plan.unitPrices().keySet());
        operations.addAll(plan.included().keySet());
        for (String operation : operations) {
            BigDecimal price = plan.unitPrices().get(operation);
            if (price == null) {
                BigDecimal list = listPrices.getOrDefault(operation, BigDecimal.ZERO);
                price = list.multiply(HUNDRED.subtract(discount)).divide(HUNDRED, UNIT_PRICE_SCALE,
                        RoundingMode.HALF_UP);
            }
            rates.put(operation, new Rate(operation, normalize(price), plan.included().getOrDefault(operation, 0L),
                    true));
        }
        return new Plan(name, fee.setScale(digits(), RoundingMode.UNNECESSARY), discount,
                Collections.unmodifiableMap(rates));
    }

    private static void requirePrice(BigDecimal price, String where) {
        if (price == null || price.signum() < 0 || price.stripTrailingZeros().scale() > UNIT_PRICE_SCALE) {
            throw new IllegalStateException("qnsp.billing.price-book." + where + " must be a non-negative price with "
                    + "at most " + UNIT_PRICE_SCALE + " decimal places");
        }
    }

    /** A unit price as shown: without trailing zeros, never in exponent notation. */
    public static BigDecimal normalize(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** The ISO 4217 code of every amount. */
    public String currency() {
        return currency.getCurrencyCode();
    }

    /** Decimal places of the currency's minor unit (2 for USD). */
    public int digits() {
        return Math.max(0, currency.getDefaultFractionDigits());
    }

    public String defaultPlan() {
        return defaultPlan;
    }

    public Map<String, Plan> plans() {
        return plans;
    }

    public boolean hasPlan(String plan) {
        return plans.containsKey(plan);
    }

    /** The plan, or the default plan when the name is not (or no longer) in the book. */
    public Plan plan(String name) {
        Plan plan = plans.get(name);
        return plan != null ? plan : plans.get(defaultPlan);
    }

    /** The rate of an operation on a plan; an operation the book does not name costs nothing. */
    public Rate rate(String plan, String operation) {
        Rate rate = plan(plan).rates().get(operation);
        return rate != null ? rate : new Rate(operation, BigDecimal.ZERO, 0, false);
    }

    public Optional<BigDecimal> listPrice(String operation) {
        return Optional.ofNullable(listPrices.get(operation));
    }

    /** The charge for {@code quantity} units in one period: the units beyond those included, at the unit price. */
    public BigDecimal charge(Rate rate, long quantity) {
        long billable = Math.max(0, quantity - rate.included());
        return money(rate.unitPrice().multiply(BigDecimal.valueOf(billable)));
    }

    /** The amount rounded half up to the currency's minor unit. */
    public BigDecimal money(BigDecimal amount) {
        return amount.setScale(digits(), RoundingMode.HALF_UP);
    }

    /** Whether the amount has no more decimal places than the currency's minor unit. */
    public boolean isWholeMinorUnits(BigDecimal amount) {
        return amount.stripTrailingZeros().scale() <= digits();
    }
}
