/**
 * How the service reaches PostgreSQL and reads the clock, one way each.
 *
 * <ul>
 * <li>The engine and the workflow component ({@code job/}, {@code workflow/}) write and read with SQL
 * statements on {@link dev.offload.db.EngineDb}'s pool, a pool of their own: group-committed batches,
 * compare-and-set updates, keyed lookups. A kind's typed row is read and written there, by the engine.</li>
 * <li>Everything else reactive (report generators' queries, the file store, statistics, archive clean-up)
 * uses the service's reactive {@code Pool} bean with SQL. Statistics alone map their read side with Hibernate
 * Reactive Panache entities ({@code Statistic}, {@code StatisticFetch}).</li>
 * <li>Imports and exports need {@code COPY} and one transaction over a whole file: each such job opens one JDBC
 * connection of its own ({@code transfer.Database}), never one the engine's pool could want. Flyway migrates
 * over JDBC at start. Nothing else uses JDBC.</li>
 * <li>Every timestamp the service writes or compares with a stored one comes from
 * {@link dev.offload.db.Timestamps#now()}: one clock, in UTC, to the microsecond, so a time written reads back
 * equal and two times of one change are one instant.</li>
 * </ul>
 */
package dev.offload.db;
