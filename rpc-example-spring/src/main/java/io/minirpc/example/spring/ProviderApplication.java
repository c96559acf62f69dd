package io.minirpc.example.spring;

import io.minirpc.example.GreetingServiceImpl;
import io.minirpc.example.user.UserServiceImpl;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The demo's provider as a Spring Boot application: its two beans implement {@code @RpcService}
 * interfaces, so the starter exports them on an {@code RpcServer} that registers in ZooKeeper
 * ({@code minirpc.registry.connect-string}) and closes gracefully with the context.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ProviderApplication {

  @Bean
  GreetingServiceImpl greetingService() {
    return new GreetingServiceImpl();
  }

  @Bean
  UserServiceImpl userService() {
    return new UserServiceImpl();
  }
}
