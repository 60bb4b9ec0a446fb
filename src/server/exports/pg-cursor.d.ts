/** The part of pg-cursor 2 the exports use (the package ships no types). */
declare module 'pg-cursor' {
  import type { Submittable } from 'pg';

  interface CursorConfig {
    rowMode?: 'array';
  }

  class Cursor<Row = Record<string, unknown>> implements Submittable {
    constructor(text: string, values?: unknown[], config?: CursorConfig);
    /** 'initialized' | 'submitted' | 'idle' | 'busy' | 'done' | 'error' */
    state: string;
    submit: Submittable['submit'];
    /** The next `rows` rows; fewer (none) at the end. */
    read(rows: number): Promise<Row[]>;
    /** Closes the portal (after a read in flight, if any) and ends its implicit transaction. */
    close(): Promise<void>;
  }
  export = Cursor;
}
