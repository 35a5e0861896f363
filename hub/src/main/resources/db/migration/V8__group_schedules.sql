-- A group's scheduled starts: the same rows as a user's, owned by a group instead, started for
-- every member at each run. Portable SQL (H2 and PostgreSQL).
ALTER TABLE schedules ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE schedules ADD COLUMN group_id BIGINT;
ALTER TABLE schedules ADD CONSTRAINT schedules_group_fk
    FOREIGN KEY (group_id) REFERENCES user_groups (id) ON DELETE CASCADE;
-- Exactly one owner: a user or a group.
ALTER TABLE schedules ADD CONSTRAINT schedules_one_owner
    CHECK ((user_id IS NOT NULL AND group_id IS NULL) OR (user_id IS NULL AND group_id IS NOT NULL));
CREATE INDEX schedules_group ON schedules (group_id);
