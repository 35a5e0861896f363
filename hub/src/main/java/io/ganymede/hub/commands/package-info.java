/** What the hub jar's commands ({@code import-jupyterhub}, {@code translate-z2jh}) share: their argument parsing. */
package io.ganymede.hub.commands;
