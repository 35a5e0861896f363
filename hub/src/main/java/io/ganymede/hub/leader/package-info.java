/**
 * Which hub replica runs the duties only one may run at a time: the culler, scheduled starts,
 * reconciliation of servers with what the spawner runs ({@code spawn.ServerAdoption}) and the
 * periodic route repair ({@code proxy.ProxySync}). Every replica serves the API.
 *
 * <p>{@link io.ganymede.hub.leader.Leadership} is what duties ask ({@code isLeader()} before each
 * pass). {@link io.ganymede.hub.leader.HubLeadership} implements it: with
 * {@code ganymede.leader.kind=lease} (or {@code auto} and the kubernetes spawner) by
 * {@link io.ganymede.hub.leader.LeaseElection} on a {@code coordination.k8s.io/v1} Lease,
 * otherwise a lone process always leads. A replica that becomes leader fires
 * {@link io.ganymede.hub.leader.Elected}, so duties catch up on what happened meanwhile. Every
 * replica has a name unique to its process, recorded with the starts it runs; {@code gone(name)}
 * says whether that replica can no longer be running one (a lone hub's earlier run, a replica
 * seen losing the Lease), so its starts are settled at once. The state
 * shows in {@code /q/health/ready} (never down for a non-leader) and the gauge
 * {@code ganymede_hub_leader}.
 */
package io.ganymede.hub.leader;
