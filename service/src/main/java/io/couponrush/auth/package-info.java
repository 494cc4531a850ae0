/** Login, JWT issuing and validation (HS256 through Spring Security's resource server), security rules. */
package io.couponrush.auth;
