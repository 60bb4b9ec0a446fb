// graphql-ws publishes its WebSocket adapter only under the `exports` subpath `graphql-ws/use/ws`,
// which TypeScript's `node` module resolution (tsconfig) does not read; Node resolves it at run
// time. The types are the package's own.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
