/**
 * Spending a copy at checkout, for an order system (server to server, its own credentials): reserve a held
 * copy for an order, confirm it (used), cancel or release it (issued again); each copy spent at most once.
 */
package io.couponrush.redemption;
