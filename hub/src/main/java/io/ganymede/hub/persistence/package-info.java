/**
 * The hub's data model as Panache entities: users, groups, servers (default and named, with user
 * options and spawner state), tokens (only salted hashes), OAuth clients and codes. The schema is
 * Flyway's ({@code resources/db/migration}), in SQL that runs unchanged on H2 (the embedded
 * default) and PostgreSQL; deletions cascade in the database (a user's servers, tokens, codes and
 * memberships; a server's token and OAuth client). {@code RepositoryContract} in the tests checks
 * both kinds.
 */
package io.ganymede.hub.persistence;
