package io.ganymede.hub.profiles;

import java.util.Map;

/** One listed choice of a profile option. */
public record Choice(String name, String displayName, boolean isDefault, Map<String, Object> override) {}
