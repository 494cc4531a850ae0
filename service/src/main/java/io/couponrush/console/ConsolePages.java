package io.couponrush.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Short addresses for the two pages; the files themselves are static resources (see the security configuration). */
@Configuration(proxyBeanMethods = false)
class ConsolePages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        for (var path : new String[] {"/console", "/console/"}) {
            registry.addViewController(path).setViewName("forward:/console/index.html");
        }
        for (var path : new String[] {"/events", "/events/"}) {
            registry.addViewController(path).setViewName("forward:/console/event.html");
        }
    }
}
