package io.couponrush.infra;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the pool behind the database circuit and gives every pooled connection the session
 * settings that bound waits behind a frozen lock holder (see {@link DependencySettings}).
 */
@Configuration(proxyBeanMethods = false)
class DataSourceGuard {

    @Bean
    static BeanPostProcessor guardDataSource(ObjectProvider<Dependencies> dependencies,
            ObjectProvider<DependencySettings> settings) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && pool.getConnectionInitSql() == null) {
                    pool.setConnectionInitSql(settings.getObject().sessionSql());
                }
                return bean;
            }

            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool) {
                    return new GuardedDataSource(pool, dependencies.getObject().database(), settings.getObject().poolWait());
                }
                return bean;
            }
        };
    }
}
