package io.qnsp.test.contract;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

import java.util.List;

/**
 * After each test method (and after each class, for what {@code @BeforeAll} and {@code @AfterAll} sent), checks
 * the exchanges the service answered against its document and fails the test that provoked a response the
 * document does not describe.
 */
final class ConformanceTestExecutionListener extends AbstractTestExecutionListener {

    @Override
    public int getOrder() {
        // after the listeners that prepare or clean up the context, so that their exchanges are included too
        return LOWEST_PRECEDENCE;
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        verify(testContext);
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        verify(testContext);
    }

    private static void verify(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        ApplicationContext context = testContext.getApplicationContext();
        if (!context.containsBean(ExchangeRecording.RECORDER)) {
            return;
        }
        ExchangeRecorder recorder = context.getBean(ExchangeRecording.RECORDER, ExchangeRecorder.class);
        List<String> problems = recorder.verify();
        if (!problems.isEmpty()) {
            throw new AssertionError(ExchangeRecorder.report(testContext.getTestClass().getSimpleName()
                    + " (its service's OpenAPI document)", problems));
        }
    }
}
