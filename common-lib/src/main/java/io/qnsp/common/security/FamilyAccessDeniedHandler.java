package io.qnsp.common.security;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.error.ErrorResponseWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

/** Answers 403 {@code forbidden} in the family's format. */
final class FamilyAccessDeniedHandler implements AccessDeniedHandler {

    private final ErrorResponseWriter writer;

    FamilyAccessDeniedHandler(ErrorResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) {
        writer.write(request, response, ApiError.of(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                "Access to this resource is forbidden"));
    }
}
