/**
 * A table a module lets the service stream as a file (the HTTP exports, src/server/exports): one
 * statement read through a cursor, each raw row turned into the values of the columns, and what
 * the audit record says of it. Modules build these (scope, permissions and SQL are theirs); the
 * server runs the statement on a connection of its own and formats the rows.
 */
export interface RowExport {
  /** What the file holds and when, without extension: `enforcement-stats_2024-01-01_2024-12-31_WEEK`. */
  fileStem: string;
  /** The header row (CSV) and the keys of each object (NDJSON), in order. */
  columns: readonly string[];
  sql: string;
  params: unknown[];
  /**
   * The same statement with its parameters written in, when each of its columns is already the
   * file's text for it and named as `columns` name it: on a real PostgreSQL the server then writes
   * the file itself (`COPY ... TO STDOUT`), and `values` is not called.
   */
  copy?: string;
  /** Settings for the statement's transaction only (`set_config(name, value, true)`). */
  settings: Readonly<Record<string, string>>;
  /** A row of the statement as the values of `columns`, in order (null: empty). */
  values(row: Record<string, unknown>): (string | number | boolean | null)[];
  /** The audit record's operation, record type, records and offices, and what was asked. */
  audit: {
    operation: string;
    recordType: string;
    recordIds: string[];
    officeIds: string[];
    request: Record<string, unknown>;
  };
}
