package io.ganymede.hub.fairuse;

/**
 * One quota's limits, null where unset.
 *
 * @param gpuHoursPerMonth GPU-hours in a calendar month (UTC)
 * @param gpuHoursPerWeek GPU-hours in any 7 days back from now
 * @param concurrentGpus GPUs in use at once
 * @param concurrentServers servers running at once, with or without GPUs
 */
public record QuotaLimits(Double gpuHoursPerMonth, Double gpuHoursPerWeek, Integer concurrentGpus, Integer concurrentServers) {

    static QuotaLimits of(FairUseConfig.Quota q) {
        return new QuotaLimits(q.gpuHoursPerMonth().isPresent() ? q.gpuHoursPerMonth().getAsDouble() : null,
                q.gpuHoursPerWeek().isPresent() ? q.gpuHoursPerWeek().getAsDouble() : null,
                q.concurrentGpus().isPresent() ? q.concurrentGpus().getAsInt() : null,
                q.concurrentServers().isPresent() ? q.concurrentServers().getAsInt() : null);
    }
}
