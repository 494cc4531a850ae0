/** After-run integrity checks: the audit endpoint, direct SQL, and the verdict over both plus what the generator saw. */
package io.couponrush.loadtest.integrity;
