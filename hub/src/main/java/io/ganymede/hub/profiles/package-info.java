/**
 * profiles.yaml: what users can pick when they start a server.
 *
 * <p>{@link io.ganymede.hub.profiles.ProfileParser} reads the file through SnakeYAML's node tree
 * and reports every problem as {@code file:line:column: reason}; {@link
 * io.ganymede.hub.profiles.ProfileCatalog} holds the valid set in force (replaced whole on reload,
 * an invalid file refused) and answers the hub: which profiles a user may see ({@code visibleTo}),
 * and what their options resolve to ({@code resolve}, KubeSpawner's merge order, through {@link
 * io.ganymede.hub.profiles.ProfileResolver} and {@link io.ganymede.hub.profiles.Overrides}).
 * {@link io.ganymede.hub.profiles.ProfilesWatcher} reloads on directory events and a hash poll.
 *
 * <p>What flows out: a {@link io.ganymede.hub.profiles.ResolvedProfile} whose {@code spec()} the hub
 * puts into {@code SpawnRequest.spec}; spawners need nothing else (it carries the app kind and the
 * storage too, so an adopted server's spec is complete).
 */
package io.ganymede.hub.profiles;
