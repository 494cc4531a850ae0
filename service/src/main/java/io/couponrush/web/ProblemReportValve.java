package io.couponrush.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's own error page, as problem+json. Tomcat answers some requests before Spring sees them: a
 * malformed %-escape or an illegal character in the path, headers over {@code server.max-http-request-header-size}.
 * Its default report is an HTML page; this one is a problem with a code and generic text, and never
 * names a server version or an exception.
 *
 * <p>Public because Tomcat instantiates it by class name.
 */
public final class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return; // not an error, or the application already wrote its answer
        }
        var ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return; // the connection is gone
        }
        var code = Problems.forStatus(status);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("utf-8");
            var writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.json(code, status, code.title()));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away while the error was written: nothing left to tell it
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Installation {

        @Bean
        TomcatContextCustomizer problemReportValve() {
            return context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            };
        }
    }
}
