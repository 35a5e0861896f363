package io.ganymede.hub.leader;

/** One hub process only ({@code ganymede.leader.kind=none}, the embedded default): it always leads. */
final class SoleReplica implements Leadership {

    @Override
    public boolean isLeader() {
        return true;
    }
}
