/**
 * Outages are answered as outages, not as bugs: a database that is down, unreachable, read-only or
 * full gives clients HTTP 503, SERVICE_UNAVAILABLE and `Retry-After` (a request out of time gives
 * REQUEST_TIMEOUT the same way), whether it failed looking up the caller or inside an operation;
 * and the log says "database unavailable" once when it starts and "database available again" once
 * when it ends, instead of an "unexpected error" per request.
 */
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Logger } from '../logger';
import type { RequestContext } from '../common/context';
import { databaseFailure, ErrorCode, type Unavailability } from '../common/errors';

/** What clients are told to wait before retrying an outage or a timeout. */
export const RETRY_AFTER_SECONDS = 2;

const RETRYABLE = new Set<unknown>([ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.REQUEST_TIMEOUT]);

/** The database's state as the service last saw it; each change is logged once. */
export class AvailabilityMonitor {
  private state: Unavailability | 'AVAILABLE' = 'AVAILABLE';

  constructor(private readonly log: Logger) {}

  get current(): Unavailability | 'AVAILABLE' {
    return this.state;
  }

  unavailable(reason: Unavailability, err?: unknown): void {
    if (this.state === reason) return;
    this.state = reason;
    this.log.error({ reason, err }, 'database unavailable');
  }

  available(): void {
    if (this.state === 'AVAILABLE') return;
    this.log.info({ was: this.state }, 'database available again');
    this.state = 'AVAILABLE';
  }
}

/** HTTP 503 and `Retry-After` on an answer that carries a retryable error. */
export function markRetryable(http: GraphQLResponse['http']): void {
  http.status = 503;
  http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
}

/** Sets the status of answers with retryable errors, and tells the monitor what they showed. */
export function availabilityPlugin(
  monitor: AvailabilityMonitor,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          let retryable = false;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            if (code === ErrorCode.SERVICE_UNAVAILABLE) {
              monitor.unavailable(error.extensions?.reason as Unavailability);
            }
            if (RETRYABLE.has(code)) retryable = true;
          }
          if (retryable) markRetryable(response.http);
          // The caller was read from the database for this request: it answers again.
          else if (contextValue.caller) monitor.available();
        },
      };
    },
  };
}

/**
 * What the GraphQL context throws when building it failed (the caller lookup): a database failure
 * becomes its typed error with HTTP 503, anything else stays as it was (a bug: HTTP 500).
 */
export function contextFailure(err: unknown, monitor: AvailabilityMonitor): unknown {
  const failure = databaseFailure(err);
  if (!failure) return err;
  if (failure.code === ErrorCode.SERVICE_UNAVAILABLE) {
    monitor.unavailable(failure.details.reason as Unavailability, err);
  }
  return new GraphQLError(failure.message, {
    originalError: failure,
    extensions: {
      http: {
        status: 503,
        headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]),
      },
    },
  });
}
