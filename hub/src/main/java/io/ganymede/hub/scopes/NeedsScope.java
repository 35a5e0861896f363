package io.ganymede.hub.scopes;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the scope an API method needs, as JupyterHub's {@code needs_scope}. {@link ScopeFilter}
 * checks it against the resource named by the path parameters {@code name} (a user),
 * {@code server_name} (one of their servers), {@code group_name} (a group) and
 * {@code service_name} (a service). A method without a
 * resource only needs the scope with some filter; it must narrow what it returns itself.
 * Every API method must carry it: {@link ScopeFilter} refuses those that don't.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NeedsScope {

    /** Any one of these scopes is enough. Empty: authentication alone suffices. */
    String[] value();

    /** The resource is a server: {@code name}'s server {@code server_name} (the default one if absent). */
    boolean server() default false;
}
