package io.couponrush.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param serverUrl the only entry of the OpenAPI document's {@code servers}. Pinned: computed from the
 *                  request it would repeat whatever {@code Host} (or forwarded host) a client sent,
 *                  and a cached document would hand that to everyone. The default {@code /} means
 *                  "where this document was served from".
 */
@ConfigurationProperties("couponrush.api-docs")
record ApiDocsSettings(@DefaultValue("/") String serverUrl) {

    ApiDocsSettings {
        if (serverUrl == null || serverUrl.isBlank()) {
            throw new IllegalArgumentException("couponrush.api-docs.server-url must not be blank");
        }
    }
}
