package io.qnsp.auth.apikey;

import io.qnsp.common.error.InvalidField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A page of a tenant's keys to list: filtered by status and a search in name and description, sorted.
 *
 * @param page      page number from 1
 * @param pageSize  1 to {@value #MAX_PAGE_SIZE}
 * @param status    only keys with this status, {@code null} for all
 * @param search    case-insensitive text to find in name or description, {@code null} for none
 * @param sortBy    the sort field
 * @param ascending sort direction
 */
public record ApiKeyQuery(int page, int pageSize, ApiKeyStatus status, String search, SortField sortBy,
                          boolean ascending) {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_PAGE = 1_000_000;
    static final int MAX_SEARCH = 200;

    /** What a list can be sorted by, named as in the API. */
    public enum SortField {
        CREATED_AT("createdAt"), NAME("name"), LAST_USED_AT("lastUsedAt"), EXPIRES_AT("expiresAt"), STATUS("status");

        private final String apiName;

        SortField(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }
    }

    /**
     * Reads the list parameters as the API receives them (any may be {@code null} for its default), refusing
     * unknown values with every allowed one named.
     */
    public static ApiKeyQuery parse(Integer page, Integer pageSize, String status, String search, String sortBy,
                                    String sortOrder) {
        InvalidField.Problems problems = new InvalidField.Problems();
        int pageNumber = page == null ? 1 : page;
        if (pageNumber < 1 || pageNumber > MAX_PAGE) {
            problems.add("page", "must be between 1 and " + MAX_PAGE);
        }
        int size = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            problems.add("pageSize", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        ApiKeyStatus statusFilter = null;
        String statusValue = blankToNull(status);
        if (statusValue != null && !statusValue.equalsIgnoreCase("all")) {
            statusFilter = Arrays.stream(ApiKeyStatus.values()).filter(s -> s.value().equalsIgnoreCase(statusValue))
                    .findFirst().orElse(null);
            if (statusFilter == null) {
                problems.add("status", "must be one of " + statusValues());
                problems.detail("allowedValues", statusValues());
            }
        }
        String text = blankToNull(search);
        if (text != null && text.strip().length() > MAX_SEARCH) {
            problems.add("search", "must be at most " + MAX_SEARCH + " characters");
        }
        SortField field = SortField.CREATED_AT;
        String sortValue = blankToNull(sortBy);
        if (sortValue != null) {
            field = Arrays.stream(SortField.values()).filter(f -> f.apiName().equalsIgnoreCase(sortValue))
                    .findFirst().orElse(null);
            if (field == null) {
                List<String> allowed = Arrays.stream(SortField.values()).map(SortField::apiName).toList();
                problems.add("sortBy", "must be one of " + allowed);
                problems.detail("allowedValues", allowed);
            }
        }
        boolean ascending = false;
        String order = blankToNull(sortOrder);
        if (order != null) {
            if (order.equalsIgnoreCase("asc")) {
                ascending = true;
            } else if (!order.equalsIgnoreCase("desc")) {
                problems.add("sortOrder", "must be one of [asc, desc]");
                problems.detail("allowedValues", List.of("asc", "desc"));
            }
        }
        problems.throwIfAny();
        return new ApiKeyQuery(pageNumber, size, statusFilter, text == null ? null : text.strip(), field, ascending);
    }

    private static List<String> statusValues() {
        List<String> values = new ArrayList<>(List.of("all"));
        Arrays.stream(ApiKeyStatus.values()).map(ApiKeyStatus::value).forEach(values::add);
        return values;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
