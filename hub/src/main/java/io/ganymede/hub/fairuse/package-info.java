/**
 * Fair use of GPUs (issue 22): quotas per group ({@code ganymede.fair-use.quotas}) and GPU
 * reservations ({@code /hub/api/reservations}), checked by {@link io.ganymede.hub.fairuse.Admission}
 * when a start is asked for, before any pod exists. The rules are pure ({@link
 * io.ganymede.hub.fairuse.QuotaRules}, {@link io.ganymede.hub.fairuse.ReservationBook}); the
 * sessions they count come from {@code usage}, the cluster's GPUs from {@link
 * io.ganymede.hub.fairuse.GpuInventory}.
 */
package io.ganymede.hub.fairuse;
