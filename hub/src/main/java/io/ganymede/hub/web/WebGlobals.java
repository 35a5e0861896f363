package io.ganymede.hub.web;

import io.ganymede.hub.spawn.Urls;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateGlobal;
import org.eclipse.microprofile.config.ConfigProvider;

/** Values and helpers every template can use: the version for the footer, URL path escaping. */
public class WebGlobals {

    /** Ganymede's version, shown in every page's footer. */
    @TemplateGlobal
    static String version() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class).orElse("dev");
    }

    /** {@code {name.seg}}: a user or server name escaped as a URL path segment (then HTML-escaped by Qute). */
    @TemplateExtension
    static String seg(String value) {
        return Urls.escape(value);
    }

    /** {@code {next.query}}: a value escaped for a URL query. */
    @TemplateExtension
    static String query(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
