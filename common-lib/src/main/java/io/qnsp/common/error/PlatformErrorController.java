package io.qnsp.common.error;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}): failures outside Spring MVC (a filter's exception, a
 * {@code sendError}) are answered in the family's format too, replacing Boot's default error body.
 */
@Hidden
@RestController
class PlatformErrorController implements ErrorController {

    private final FailureTranslator translator;
    private final ErrorResponseWriter writer;

    PlatformErrorController(FailureTranslator translator, ErrorResponseWriter writer) {
        this.translator = translator;
        this.writer = writer;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            FailureTranslator.Translation translation = translator.translate(failure);
            writer.write(request, response, translation.error(), translation.headers());
            return;
        }
        HttpStatusCode status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                ? HttpStatusCode.valueOf(code) : HttpStatus.NOT_FOUND;
        if (!status.isError()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        writer.write(request, response,
                ApiError.of(status, ErrorCodes.forStatus(status), ErrorCodes.messageForStatus(status)));
    }
}
