package io.minirpc.spring;

import io.minirpc.RpcService;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.springframework.aop.SpringProxy;

/** Which {@link RpcService} interfaces a bean's type implements, as {@code RpcServer} exports. */
final class ServiceInterfaces {

  private ServiceInterfaces() {}

  /** The {@code @RpcService} interfaces of the type, its superclasses and superinterfaces. */
  static List<Class<?>> of(Class<?> type) {
    List<Class<?>> found = new ArrayList<>();
    if (type.isInterface()) {
      collect(type, found);
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        collect(i, found);
      }
    }
    return found;
  }

  /**
   * Whether the bean is a JDK proxy other than Spring AOP's: most likely an {@code RpcClient} stub
   * declared as a bean, which must not be exported again (it would forward every call).
   */
  static boolean isPlainProxy(Object bean) {
    return Proxy.isProxyClass(bean.getClass()) && !(bean instanceof SpringProxy);
  }

  private static void collect(Class<?> i, List<Class<?>> found) {
    if (i.isAnnotationPresent(RpcService.class) && !found.contains(i)) {
      found.add(i);
    }
    for (Class<?> parent : i.getInterfaces()) {
      collect(parent, found);
    }
  }
}
