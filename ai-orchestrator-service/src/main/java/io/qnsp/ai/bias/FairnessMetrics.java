package io.qnsp.ai.bias;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fairness metric of each evaluation type, per protected attribute, over a dataset's groups:
 * <ul>
 *   <li>{@code demographic_parity}: demographic parity difference, the largest minus the smallest share of
 *   positive predictions ({@code prediction = 1}) among the attribute's groups;</li>
 *   <li>{@code equalized_odds}: equalized odds difference, the larger of the spread (largest minus smallest) of the
 *   true positive rates {@code TP / (TP + FN)} and the spread of the false positive rates
 *   {@code FP / (FP + TN)} across the groups; a group without positive (negative) labels has no true (false)
 *   positive rate and is left out of that spread;</li>
 *   <li>{@code calibration}: per group the expected calibration error over ten equal-width score bins
 *   ({@code [0, 0.1), ..., [0.9, 1]}), {@code sum over bins of (rows in bin / rows in group) * |mean score - share
 *   of label 1|}; the metric is the largest minus the smallest group error.</li>
 * </ul>
 * The evaluation's value is the largest of its attributes' values. An attribute with fewer than two groups (or,
 * for equalized odds, fewer than two groups with either rate) has no difference to measure and fails the
 * evaluation.
 */
final class FairnessMetrics {

    static final int CALIBRATION_BINS = 10;

    private FairnessMetrics() {
    }

    /** The figures of one group. */
    record Group(String group, long count, Map<String, Double> figures) {
    }

    record AttributeResult(String attribute, double value, List<Group> groups) {
    }

    record Result(String metric, double value, int rows, List<AttributeResult> attributes) {
    }

    /** The metric cannot be computed over this dataset (e.g. one group only). */
    static final class NotComputable extends RuntimeException {

        NotComputable(String message) {
            super(message, null, false, false);
        }
    }

    static String metricName(String evaluationType) {
        return switch (evaluationType) {
            case "demographic_parity" -> "demographic_parity_difference";
            case "equalized_odds" -> "equalized_odds_difference";
            case "calibration" -> "calibration_error_difference";
            default -> throw new IllegalArgumentException(evaluationType);
        };
    }

    static Result compute(String evaluationType, BiasDataset dataset, List<String> attributes) {
        List<AttributeResult> results = new ArrayList<>();
        for (String attribute : attributes) {
            Map<String, List<BiasDataset.Row>> byGroup = new TreeMap<>();
            for (BiasDataset.Row row : dataset.rows()) {
                byGroup.computeIfAbsent(row.groups().get(attribute), g -> new ArrayList<>()).add(row);
            }
            if (byGroup.size() < 2) {
                throw new NotComputable("protected attribute " + attribute + " has " + byGroup.size()
                        + " group in the dataset; at least two are needed to compare");
            }
            results.add(switch (evaluationType) {
                case "demographic_parity" -> demographicParity(attribute, byGroup);
                case "equalized_odds" -> equalizedOdds(attribute, byGroup);
                case "calibration" -> calibration(attribute, byGroup);
                default -> throw new IllegalArgumentException(evaluationType);
            });
        }
        double value = results.stream().mapToDouble(AttributeResult::value).max().orElseThrow();
        return new Result(metricName(evaluationType), value, dataset.rows().size(), results);
    }

    private static AttributeResult demographicParity(String attribute, Map<String, List<BiasDataset.Row>> byGroup) {
        List<Group> groups = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        byGroup.forEach((group, rows) -> {
            double rate = rows.stream().filter(r -> r.prediction() == 1).count() / (double) rows.size();
            rates.add(rate);
            groups.add(new Group(group, rows.size(), figures("selectionRate", rate)));
        });
        return new AttributeResult(attribute, spread(rates), groups);
    }

    private static AttributeResult equalizedOdds(String attribute, Map<String, List<BiasDataset.Row>> byGroup) {
        List<Group> groups = new ArrayList<>();
        List<Double> tprs = new ArrayList<>();
        List<Double> fprs = new ArrayList<>();
        byGroup.forEach((group, rows) -> {
            long tp = rows.stream().filter(r -> r.label() == 1 && r.prediction() == 1).count();
            long fn = rows.stream().filter(r -> r.label() == 1 && r.prediction() == 0).count();
            long fp = rows.stream().filter(r -> r.label() == 0 && r.prediction() == 1).count();
            long tn = rows.stream().filter(r -> r.label() == 0 && r.prediction() == 0).count();
            Map<String, Double> figures = new LinkedHashMap<>();
            if (tp + fn > 0) {
                double tpr = tp / (double) (tp + fn);
                tprs.add(tpr);
                figures.put("truePositiveRate", tpr);
            }
            if (fp + tn > 0) {
                double fpr = fp / (double) (fp + tn);
                fprs.add(fpr);
                figures.put("falsePositiveRate", fpr);
            }
            groups.add(new Group(group, rows.size(), figures));
        });
        if (tprs.size() < 2 && fprs.size() < 2) {
            throw new NotComputable("protected attribute " + attribute + " has fewer than two groups with positive "
                    + "or with negative labels; equalized odds compares groups' error rates");
        }
        double tprSpread = tprs.size() < 2 ? 0 : spread(tprs);
        double fprSpread = fprs.size() < 2 ? 0 : spread(fprs);
        return new AttributeResult(attribute, Math.max(tprSpread, fprSpread), groups);
    }

    private static AttributeResult calibration(String attribute, Map<String, List<BiasDataset.Row>> byGroup) {
        List<Group> groups = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        byGroup.forEach((group, rows) -> {
            double ece = expectedCalibrationError(rows);
            errors.add(ece);
            groups.add(new Group(group, rows.size(), figures("expectedCalibrationError", ece)));
        });
        return new AttributeResult(attribute, spread(errors), groups);
    }

    static double expectedCalibrationError(List<BiasDataset.Row> rows) {
        double[] scoreSum = new double[CALIBRATION_BINS];
        double[] labelSum = new double[CALIBRATION_BINS];
        int[] count = new int[CALIBRATION_BINS];
        for (BiasDataset.Row row : rows) {
            int bin = Math.min(CALIBRATION_BINS - 1, (int) Math.floor(row.score() * CALIBRATION_BINS));
            scoreSum[bin] += row.score();
            labelSum[bin] += row.label();
            count[bin]++;
        }
        double error = 0;
        for (int bin = 0; bin < CALIBRATION_BINS; bin++) {
            if (count[bin] > 0) {
                error += (count[bin] / (double) rows.size())
                        * Math.abs(scoreSum[bin] / count[bin] - labelSum[bin] / count[bin]);
            }
        }
        return error;
    }

    private static double spread(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                - values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static Map<String, Double> figures(String name, double value) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(name, value);
        return figures;
    }
}
