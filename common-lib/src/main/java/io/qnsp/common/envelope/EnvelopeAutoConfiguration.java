package io.qnsp.common.envelope;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorHandlingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/** The DataHub success envelope for servlet services, on the paths {@link ApiFamilies} puts in the DataHub family. */
@AutoConfiguration(after = ErrorHandlingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
public class EnvelopeAutoConfiguration {

    /** The advice's bean name: where it exists, DataHub answers are wrapped for the controllers. */
    public static final String ADVICE = "qnspDataHubEnvelopeAdvice";

    @Bean(ADVICE)
    DataHubEnvelopeAdvice qnspDataHubEnvelopeAdvice(ApiFamilies families) {
        return new DataHubEnvelopeAdvice(families);
    }
}
