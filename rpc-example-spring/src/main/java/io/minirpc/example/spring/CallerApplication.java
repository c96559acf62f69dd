package io.minirpc.example.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The demo's caller as a Spring Boot application: it exports nothing, so it runs no server; its
 * {@link DemoCalls} bean gets stubs of the provider's services through {@code @RpcReference}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(DemoCalls.class)
public class CallerApplication {}
