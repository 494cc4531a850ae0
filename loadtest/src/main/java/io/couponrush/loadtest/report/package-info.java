/** Numbers from the recorded answers, the markdown summary and the comparison chart. */
package io.couponrush.loadtest.report;
