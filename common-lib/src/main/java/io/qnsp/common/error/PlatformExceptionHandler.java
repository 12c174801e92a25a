package io.qnsp.common.error;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * The platform's one controller advice: every exception leaving a controller is answered in the family's format.
 * Lowest precedence, so a service's own advice (which it should not need) would still be asked first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class PlatformExceptionHandler {

    private final FailureTranslator translator;
    private final ErrorResponseWriter writer;

    PlatformExceptionHandler(FailureTranslator translator, ErrorResponseWriter writer) {
        this.translator = translator;
        this.writer = writer;
    }

    // writing the body ourselves (rather than returning it) keeps content negotiation out of error handling:
    // a client that accepts only text/plain still gets the JSON error instead of a second failure
    @ExceptionHandler(Exception.class)
    void handle(Exception failure, HttpServletRequest request, HttpServletResponse response) {
        if (failure instanceof AsyncRequestNotUsableException) {
            return;
        }
        FailureTranslator.Translation translation = translator.translate(failure);
        writer.write(request, response, translation.error(), translation.headers());
    }
}
