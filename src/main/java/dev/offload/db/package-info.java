/**
 * How the service reaches PostgreSQL and reads the clock, one way each.
 *
 * <ul>
 * <li>The engine and the workflow component ({@code job/}, {@code workflow/}) write and read with SQL
 * statements on {@link dev.offload.db.EngineDb}'s pool: group-committed batches, compare-and-set updates,
 * keyed lookups. They never go through Hibernate.</li>
 * <li>A kind's own tables are read and written through its typed row (the engine does it) or, for what is
 * the kind's alone (a generator's queries, statistics), through Hibernate Reactive Panache entities; a
 * blocking worker thread reaches Panache with {@link dev.offload.db.Db}.</li>
 * <li>Flyway migrates over JDBC at start; nothing else uses JDBC.</li>
 * <li>Every timestamp the service writes comes from {@link dev.offload.db.Timestamps#now()}: one clock, in
 * UTC, to the microsecond, so a time written reads back equal and two times of one change are one instant.</li>
 * </ul>
 */
package dev.offload.db;
