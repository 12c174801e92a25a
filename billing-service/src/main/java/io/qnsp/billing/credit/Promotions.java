package io.qnsp.billing.credit;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored promotion codes and their redemptions. */
@Repository
class Promotions {

    private static final String COLUMNS = "promotion_id, code, description, credit_amount, currency, "
            + "credit_validity_days, max_redemptions, redemptions, expires_at, created_at, created_by";

    private static final RowMapper<Promotion> ROW = (rs, n) -> new Promotion(rs.getObject("promotion_id", UUID.class),
            rs.getString("code"), rs.getString("description"), rs.getBigDecimal("credit_amount"),
            rs.getString("currency").strip(), (Integer) rs.getObject("credit_validity_days"),
            (Integer) rs.getObject("max_redemptions"), rs.getInt("redemptions"),
            instant(rs.getTimestamp("expires_at")), rs.getTimestamp("created_at").toInstant(),
            rs.getString("created_by"));

    private final JdbcClient jdbc;

    Promotions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the promotion unless its code is taken; answers whether it did. */
    boolean insert(Promotion promotion) {
        return jdbc.sql("INSERT INTO promotion (" + COLUMNS + ") VALUES (:id, :code, :description, :amount, :currency, "
                        + ":validity, :max, 0, :expiresAt, :createdAt, :createdBy) ON CONFLICT (code) DO NOTHING")
                .param("id", promotion.promotionId()).param("code", promotion.code())
                .param("description", promotion.description()).param("amount", promotion.creditAmount())
                .param("currency", promotion.currency()).param("validity", promotion.creditValidityDays())
                .param("max", promotion.maxRedemptions())
                .param("expiresAt", promotion.expiresAt() == null ? null : Timestamp.from(promotion.expiresAt()))
                .param("createdAt", Timestamp.from(promotion.createdAt())).param("createdBy", promotion.createdBy())
                .update() == 1;
    }

    /** The promotion, locked: redemptions of one code take turns. */
    Optional<Promotion> findByCodeForUpdate(String code) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM promotion WHERE code = :code FOR UPDATE").param("code", code)
                .query(ROW).optional();
    }

    List<Promotion> list(int limit, int offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM promotion ORDER BY created_at DESC, code LIMIT :limit "
                + "OFFSET :offset").param("limit", limit).param("offset", offset).query(ROW).list();
    }

    long count() {
        return jdbc.sql("SELECT count(*) FROM promotion").query(Long.class).single();
    }

    boolean redeemed(UUID promotionId, String tenantId) {
        return jdbc.sql("SELECT count(*) FROM promotion_redemption WHERE promotion_id = :id AND tenant_id = :tenant")
                .param("id", promotionId).param("tenant", tenantId).query(Long.class).single() > 0;
    }

    void recordRedemption(UUID promotionId, String tenantId, UUID creditId, Instant now, String actor) {
        jdbc.sql("INSERT INTO promotion_redemption (promotion_id, tenant_id, credit_id, redeemed_at, redeemed_by) "
                        + "VALUES (:id, :tenant, :credit, :now, :actor)")
                .param("id", promotionId).param("tenant", tenantId).param("credit", creditId)
                .param("now", Timestamp.from(now)).param("actor", actor).update();
        jdbc.sql("UPDATE promotion SET redemptions = redemptions + 1 WHERE promotion_id = :id")
                .param("id", promotionId).update();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
