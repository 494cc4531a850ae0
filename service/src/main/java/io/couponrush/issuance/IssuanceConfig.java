package io.couponrush.issuance;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class IssuanceConfig {

    /**
     * The transaction every strategy settles in. READ COMMITTED: reads after a lock see what the
     * previous holder committed (REPEATABLE READ would show a snapshot from before the wait), and
     * InnoDB takes fewer gap locks (it still takes them for duplicate and foreign-key checks). Programmatic, not {@code @Transactional},
     * so each strategy decides where the commit lands relative to its locks.
     */
    @Bean
    TransactionTemplate issueTransaction(PlatformTransactionManager transactions) {
        var template = new TransactionTemplate(transactions);
        template.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return template;
    }
}
