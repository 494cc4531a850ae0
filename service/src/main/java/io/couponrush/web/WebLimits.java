package io.couponrush.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a request may make the service read.
 *
 * @param maxBodySize the largest request body read, on every endpoint including the anonymous ones;
 *                    a larger one (by {@code Content-Length}, or counted as a chunked body arrives) is
 *                    answered {@code 413 PAYLOAD_TOO_LARGE} without being parsed. The API's bodies are a
 *                    few hundred bytes.
 */
@ConfigurationProperties("couponrush.web")
public record WebLimits(@DefaultValue("64KB") DataSize maxBodySize) {

    public WebLimits {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("couponrush.web.max-body-size must be positive, got " + maxBodySize);
        }
    }
}
