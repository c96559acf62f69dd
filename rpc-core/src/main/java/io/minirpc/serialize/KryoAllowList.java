package io.minirpc.serialize;

import io.minirpc.MethodSignature;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes one service may carry with Kryo, and their registration ids.
 *
 * <p>Ids must agree between two processes that prepared the same interface separately, so they
 * depend on nothing but the classes: Kryo's own built-ins take 0 to 9, the JDK base list takes
 * {@value #FIRST_BASE_ID} onwards by its position in {@link #BASE} (a slot keeps its id even when
 * its class repeats an earlier one, as {@code List.of()} and {@code List.of(1, 2, 3)} may on some
 * JDKs), and the service's own classes take {@value #FIRST_USER_ID} onwards sorted by name.
 */
final class KryoAllowList {

  static final int FIRST_BASE_ID = 10;
  static final int FIRST_USER_ID = 100;

  /** JDK classes every service may carry. Append only: a slot's position is its wire id. */
  static final List<Class<?>> BASE =
      List.of(
          byte[].class,
          char[].class,
          short[].class,
          int[].class,
          long[].class,
          float[].class,
          double[].class,
          boolean[].class,
          String[].class,
          BigInteger.class,
          BigDecimal.class,
          UUID.class,
          URI.class,
          Date.class,
          Locale.class,
          Currency.class,
          ArrayList.class,
          LinkedList.class,
          ArrayDeque.class,
          HashMap.class,
          LinkedHashMap.class,
          TreeMap.class,
          ConcurrentHashMap.class,
          HashSet.class,
          LinkedHashSet.class,
          TreeSet.class,
          EnumSet.class,
          Collections.emptyList().getClass(),
          Collections.emptySet().getClass(),
          Collections.emptyMap().getClass(),
          Collections.singletonList(0).getClass(),
          Collections.singleton(0).getClass(),
          Collections.singletonMap(0, 0).getClass(),
          Arrays.asList(0).getClass(),
          List.of().getClass(),
          List.of(0).getClass(),
          List.of(0, 1, 2).getClass(),
          List.of(0, 1, 2).subList(0, 1).getClass(),
          Set.of().getClass(),
          Set.of(0).getClass(),
          Set.of(0, 1, 2).getClass(),
          Map.of().getClass(),
          Map.of(0, 0).getClass(),
          Map.of(0, 0, 1, 1).getClass(),
          Duration.class,
          Instant.class,
          LocalDate.class,
          LocalTime.class,
          LocalDateTime.class,
          OffsetTime.class,
          OffsetDateTime.class,
          ZonedDateTime.class,
          ZoneOffset.class,
          ZoneId.of("Europe/Paris").getClass(),
          Year.class,
          YearMonth.class,
          MonthDay.class,
          Period.class,
          DayOfWeek.class,
          Month.class,
          Optional.class,
          OptionalInt.class,
          OptionalLong.class,
          OptionalDouble.class);

  /** What Kryo registers by itself, plus the boxes it maps onto the primitives' registrations. */
  private static final Set<Class<?>> BUILT_IN =
      Set.of(
          String.class,
          Integer.class,
          Long.class,
          Short.class,
          Byte.class,
          Character.class,
          Boolean.class,
          Float.class,
          Double.class,
          Void.class);

  private static final Set<Class<?>> KNOWN = knownClasses();

  /** Generic types nested deeper than this are refused rather than expanded forever. */
  private static final int MAX_TYPE_DEPTH = 32;

  private final List<Class<?>> userClasses;
  private final Set<Class<?>> allowed;

  private KryoAllowList(List<Class<?>> userClasses) {
    this.userClasses = List.copyOf(userClasses);
    Set<Class<?>> all = new HashSet<>(KNOWN);
    all.addAll(userClasses);
    this.allowed = Set.copyOf(all);
  }

  /**
   * Finds every class the methods' declared types reach, and checks that each can be carried.
   *
   * @throws IllegalArgumentException naming the method and the type that cannot be carried
   */
  static KryoAllowList scan(List<MethodSignature> methods, List<Class<?>> extraClasses) {
    Scanner scanner = new Scanner(extraClasses);
    for (Class<?> extra : extraClasses) {
      scanner.add(extra);
      scanner.walkFields(extra, Map.of(), new Site(null, "registered class " + extra.getName()), 0);
    }
    for (MethodSignature method : methods) {
      Parameter[] parameters = method.method().getParameters();
      List<Type> types = method.parameterTypes();
      for (int i = 0; i < types.size(); i++) {
        String name = i < parameters.length ? parameters[i].getName() : "#" + i;
        Site site =
            new Site(method, "parameter '" + name + "' (" + types.get(i).getTypeName() + ")");
        scanner.walk(types.get(i), Map.of(), site, true, 0);
      }
      Type result = method.resultType();
      if (result != void.class && result != Void.class) {
        scanner.walk(
            result, Map.of(), new Site(method, "result (" + result.getTypeName() + ")"), true, 0);
      }
    }
    KryoAllowList allowList = new KryoAllowList(new ArrayList<>(scanner.userClasses.values()));
    for (Deferred check : scanner.abstractTypes) {
      if (!allowList.hasConcreteSubtype(check.type())) {
        throw check
            .site()
            .refuse(
                check.type(),
                "no allowed class implements it; register its implementations on both sides with"
                    + " KryoSerializer.builder().register(..)");
      }
    }
    return allowList;
  }

  /** The service's own classes, sorted by name; they take ids from {@value #FIRST_USER_ID}. */
  List<Class<?>> userClasses() {
    return userClasses;
  }

  /** Whether some allowed class other than {@code type} itself is assignable to it. */
  boolean hasAllowedSubtype(Class<?> type) {
    for (Class<?> candidate : allowed) {
      if (candidate != type && type.isAssignableFrom(candidate)) {
        return true;
      }
    }
    return false;
  }

  private boolean hasConcreteSubtype(Class<?> type) {
    for (Class<?> candidate : allowed) {
      if (type.isAssignableFrom(candidate) && isInstantiable(candidate)) {
        return true;
      }
    }
    return false;
  }

  /** The class a declared type erases to, type variables taken at their first bound. */
  static Class<?> erase(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    } else if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    } else if (type instanceof GenericArrayType g) {
      return Array.newInstance(erase(g.getGenericComponentType()), 0).getClass();
    } else if (type instanceof TypeVariable<?> v) {
      return erase(v.getBounds()[0]);
    } else if (type instanceof WildcardType w) {
      return erase(w.getUpperBounds()[0]);
    }
    throw new IllegalArgumentException("unsupported type " + type);
  }

  private static boolean isInstantiable(Class<?> c) {
    return c.isArray()
        || c.isEnum()
        || (!c.isInterface() && !Modifier.isAbstract(c.getModifiers()) && !c.isPrimitive());
  }

  static boolean isJdk(Class<?> c) {
    String name = c.getName();
    return name.startsWith("java.")
        || name.startsWith("javax.")
        || name.startsWith("jdk.")
        || name.startsWith("sun.")
        || name.startsWith("com.sun.");
  }

  private static boolean isContainer(Class<?> c) {
    return Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c);
  }

  private static Set<Class<?>> knownClasses() {
    Set<Class<?>> known = new HashSet<>(BASE);
    known.addAll(BUILT_IN);
    return Set.copyOf(known);
  }

  /** Where a type was found, for messages. */
  private record Site(MethodSignature method, String where) {

    Site field(Field field) {
      return new Site(
          method,
          where + ", field " + field.getDeclaringClass().getSimpleName() + "." + field.getName());
    }

    IllegalArgumentException refuse(Type type, String reason) {
      String owner =
          method == null
              ? "\n    for a class registered with KryoSerializer.builder().register(..)"
              : "\n    for method " + method.displayName();
      return new IllegalArgumentException(
          "Kryo serializer cannot carry "
              + type.getTypeName()
              + " in "
              + where
              + ": "
              + reason
              + owner);
    }
  }

  private record Bound(Type type, Map<TypeVariable<?>, Bound> scope) {}

  private record Deferred(Class<?> type, Site site) {}

  /** One pass over the types of a service; not thread-safe, used once by {@link #scan}. */
  private static final class Scanner {
    private final Set<Class<?>> extras;
    private final Map<String, Class<?>> userClasses = new TreeMap<>();
    private final Set<String> walked = new HashSet<>();
    private final List<Deferred> abstractTypes = new ArrayList<>();

    Scanner(List<Class<?>> extras) {
      this.extras = Set.copyOf(extras);
    }

    void add(Class<?> c) {
      if (!KNOWN.contains(c)) {
        userClasses.put(c.getName(), c);
      }
    }

    // strict: the type is declared in a method signature, where a value's class must be knowable
    // from the declaration alone; field types are checked by their values at run time instead.
    void walk(Type type, Map<TypeVariable<?>, Bound> scope, Site site, boolean strict, int depth) {
      if (depth > MAX_TYPE_DEPTH) {
        throw site.refuse(type, "its types nest deeper than " + MAX_TYPE_DEPTH + " levels");
      }
      if (type instanceof Class<?> c) {
        walkClass(c, Map.of(), false, site, strict, depth);
      } else if (type instanceof ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] arguments = p.getActualTypeArguments();
        if (isJdk(raw)) {
          walkClass(raw, Map.of(), true, site, strict, depth);
          for (Type argument : arguments) {
            walk(argument, scope, site, strict, depth + 1);
          }
        } else {
          TypeVariable<?>[] variables = raw.getTypeParameters();
          Map<TypeVariable<?>, Bound> inner = new HashMap<>();
          for (int i = 0; i < variables.length && i < arguments.length; i++) {
            inner.put(variables[i], new Bound(arguments[i], scope));
          }
          walkClass(raw, inner, true, site, strict, depth);
        }
      } else if (type instanceof GenericArrayType g) {
        Class<?> array = Array.newInstance(erase(resolve(g, scope, depth)), 0).getClass();
        add(array);
        walk(g.getGenericComponentType(), scope, site, strict, depth + 1);
      } else if (type instanceof WildcardType w) {
        if (w.getLowerBounds().length > 0) {
          if (strict) {
            throw site.refuse(
                type, "a lower-bounded wildcard does not tell which class to create; declare one");
          }
          return;
        }
        walk(w.getUpperBounds()[0], scope, site, strict, depth + 1);
      } else if (type instanceof TypeVariable<?> v) {
        Bound bound = scope.get(v);
        if (bound != null) {
          walk(bound.type(), bound.scope(), site, strict, depth + 1);
        } else {
          walk(v.getBounds()[0], Map.of(), site, strict, depth + 1);
        }
      } else {
        throw site.refuse(type, "this kind of type is not supported");
      }
    }

    private void walkClass(
        Class<?> c,
        Map<TypeVariable<?>, Bound> scope,
        boolean parameterized,
        Site site,
        boolean strict,
        int depth) {
      if (c.isPrimitive()) {
        return;
      }
      if (c.isArray()) {
        add(c);
        walkClass(c.getComponentType(), Map.of(), false, site, strict, depth + 1);
        return;
      }
      if (c == Object.class) {
        if (strict) {
          throw site.refuse(
              c,
              "no class could be created for it without a class name from the wire; declare a"
                  + " concrete type");
        }
        return;
      }
      if (strict && !parameterized && c.getTypeParameters().length > 0) {
        throw site.refuse(
            c,
            "a raw type does not tell which classes its values hold; declare its type arguments");
      }
      if (Enum.class.isAssignableFrom(c) && c != Enum.class) {
        add(c.isEnum() ? c : c.getSuperclass());
        return;
      }
      if (KNOWN.contains(c)) {
        return;
      }
      boolean instantiable = isInstantiable(c);
      if (!instantiable) {
        // Collections and maps are carried by the JDK implementations of the base list.
        if (strict && !isContainer(c)) {
          abstractTypes.add(new Deferred(c, site));
        }
        return;
      }
      if (isJdk(c)) {
        if (isContainer(c) || extras.contains(c)) {
          add(c);
          return;
        }
        throw site.refuse(
            c,
            "it is not among the JDK classes the Kryo serializer allows; if Kryo can carry it,"
                + " register it on both sides with KryoSerializer.builder().register("
                + c.getCanonicalName()
                + ".class)");
      }
      if (c.isAnonymousClass()
          || c.isLocalClass()
          || (c.isMemberClass() && !Modifier.isStatic(c.getModifiers()))) {
        throw site.refuse(
            c, "an inner, local or anonymous class needs its enclosing instance; make it static");
      }
      add(c);
      if (walked.add(describe(c, scope, depth))) {
        walkFields(c, scope, site, depth);
      }
    }

    /** Walks the instance fields Kryo's field serializer writes, in the class and its parents. */
    void walkFields(Class<?> c, Map<TypeVariable<?>, Bound> scope, Site site, int depth) {
      if (c.isArray() || c.isEnum() || isJdk(c)) {
        return;
      }
      if (isContainer(c)) {
        // A user collection is written by Kryo's collection serializer: its elements, not fields.
        walkSupertypes(c, scope, site, depth);
        return;
      }
      Class<?> current = c;
      Map<TypeVariable<?>, Bound> currentScope = scope;
      while (current != null && current != Object.class && !isJdk(current)) {
        for (Field field : current.getDeclaredFields()) {
          int modifiers = field.getModifiers();
          if (Modifier.isStatic(modifiers)
              || Modifier.isTransient(modifiers)
              || field.isSynthetic()) {
            continue;
          }
          walk(field.getGenericType(), currentScope, site.field(field), false, depth + 1);
        }
        currentScope = superScope(current.getGenericSuperclass(), currentScope);
        current = current.getSuperclass();
      }
    }

    private void walkSupertypes(
        Class<?> c, Map<TypeVariable<?>, Bound> scope, Site site, int depth) {
      List<Type> supertypes = new ArrayList<>(Arrays.asList(c.getGenericInterfaces()));
      if (c.getGenericSuperclass() != null) {
        supertypes.add(c.getGenericSuperclass());
      }
      for (Type supertype : supertypes) {
        if (supertype instanceof ParameterizedType p) {
          for (Type argument : p.getActualTypeArguments()) {
            walk(argument, scope, site, false, depth + 1);
          }
        }
      }
    }

    private static Map<TypeVariable<?>, Bound> superScope(
        Type superclass, Map<TypeVariable<?>, Bound> scope) {
      if (!(superclass instanceof ParameterizedType p)) {
        return Map.of();
      }
      TypeVariable<?>[] variables = ((Class<?>) p.getRawType()).getTypeParameters();
      Type[] arguments = p.getActualTypeArguments();
      Map<TypeVariable<?>, Bound> inner = new HashMap<>();
      for (int i = 0; i < variables.length && i < arguments.length; i++) {
        inner.put(variables[i], new Bound(arguments[i], scope));
      }
      return inner;
    }

    /** The type with its variables replaced by what they are bound to, as far as known. */
    private static Type resolve(Type type, Map<TypeVariable<?>, Bound> scope, int depth) {
      if (depth > MAX_TYPE_DEPTH) {
        return Object.class;
      }
      if (type instanceof TypeVariable<?> v && scope.containsKey(v)) {
        Bound bound = scope.get(v);
        return resolve(bound.type(), bound.scope(), depth + 1);
      }
      if (type instanceof GenericArrayType g) {
        Class<?> component = erase(resolve(g.getGenericComponentType(), scope, depth + 1));
        return Array.newInstance(component, 0).getClass();
      }
      return type;
    }

    /** A key that tells a generic class apart by what its variables are bound to. */
    private static String describe(Class<?> c, Map<TypeVariable<?>, Bound> scope, int depth) {
      if (scope.isEmpty()) {
        return c.getName();
      }
      StringBuilder key = new StringBuilder(c.getName()).append('<');
      for (TypeVariable<?> variable : c.getTypeParameters()) {
        Bound bound = scope.get(variable);
        key.append(bound == null ? "?" : describe(bound.type(), bound.scope(), depth + 1))
            .append(',');
      }
      return key.append('>').toString();
    }

    private static String describe(Type type, Map<TypeVariable<?>, Bound> scope, int depth) {
      if (depth > MAX_TYPE_DEPTH) {
        return "...";
      }
      if (type instanceof TypeVariable<?> v) {
        Bound bound = scope.get(v);
        return bound == null ? v.getName() : describe(bound.type(), bound.scope(), depth + 1);
      }
      if (type instanceof ParameterizedType p) {
        StringBuilder key = new StringBuilder(((Class<?>) p.getRawType()).getName()).append('<');
        for (Type argument : p.getActualTypeArguments()) {
          key.append(describe(argument, scope, depth + 1)).append(',');
        }
        return key.append('>').toString();
      }
      if (type instanceof GenericArrayType g) {
        return describe(g.getGenericComponentType(), scope, depth + 1) + "[]";
      }
      return type.getTypeName();
    }
  }
}
