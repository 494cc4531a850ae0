/** Accounts: sign-up, password change, roles, and the development admin of the embedded run. */
package io.couponrush.user;
