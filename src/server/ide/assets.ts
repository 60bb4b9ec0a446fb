/**
 * The IDE's files, served by the service itself under /graphql/ide/: GraphiQL 3's prebuilt bundle
 * and stylesheet and React 18's UMD builds, read from their npm packages (no CDN, no remote font:
 * GraphiQL's fonts are data: URIs in its stylesheet), plus the small bootstrap that starts it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** One file the IDE page loads. */
export interface IdeAsset {
  type: string;
  body: Buffer;
  /** The same, gzip-compressed (made on first use): GraphiQL's bundle is ~1 MB, ~300 KB gzipped. */
  gzip(): Buffer;
  /** A strong validator of the content, for `If-None-Match`. */
  etag: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Served name → [npm package, file inside it, type]. */
const VENDOR: Record<string, [string, string, string]> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js', JS],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js', JS],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js', JS],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css', CSS],
};

/**
 * Starts GraphiQL in #graphiql with the settings the page carries as JSON in #ide-config (a data
 * block, not a script: the page's CSP runs only scripts served from here). Headers are not kept
 * in the browser's storage (`shouldPersistHeaders: false`): a token lives as long as the tab.
 *
 * Subscriptions go over WebSocket to the same host and path (ws: or wss: as the page was loaded).
 * GraphiQL's bundle carries graphql-ws's client; with `subscriptionUrl` it opens one connection per
 * subscription and sends the Headers editor's headers as the connection's init payload, so the
 * `Authorization` header signs the socket in as it signs in HTTP requests (server/live.ts).
 */
const BOOTSTRAP = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('ide-config').textContent);
  var socket = (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host;
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({
        url: config.endpoint,
        subscriptionUrl: socket + config.endpoint,
      }),
      defaultTabs: config.tabs,
      defaultHeaders: config.headers,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    }),
  );
})();
`;

const STYLE = `html, body, #graphiql { height: 100%; margin: 0; }
body { font-family: system-ui, sans-serif; }
`;

/** The order the page loads the scripts in: React, ReactDOM, GraphiQL (which needs both), ours. */
export const SCRIPTS = [
  'react.production.min.js',
  'react-dom.production.min.js',
  'graphiql.min.js',
  'ide.js',
];
export const STYLESHEETS = ['graphiql.min.css', 'ide.css'];

/**
 * Finds every vendor file now (a missing package stops the start with its name); reads each on
 * first request. Test servers that never open the IDE never read 1.5 MB.
 */
export function ideAssets(): (name: string) => IdeAsset | undefined {
  const files = new Map<string, { file: string; type: string }>();
  for (const [name, [pkg, inside, type]] of Object.entries(VENDOR)) {
    const file = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), inside);
    if (!fs.existsSync(file))
      throw new Error(
        `GRAPHQL_IDE: ${pkg} has no ${inside}; run npm ci (or set GRAPHQL_IDE=false)`,
      );
    files.set(name, { file, type });
  }
  const loaded = new Map<string, IdeAsset>([
    ['ide.js', asset(Buffer.from(BOOTSTRAP), JS)],
    ['ide.css', asset(Buffer.from(STYLE), CSS)],
  ]);
  return (name) => {
    const known = loaded.get(name);
    if (known) return known;
    const where = files.get(name);
    if (!where) return undefined;
    // The bundle names a source map the package does ship but we do not serve.
    const text = fs
      .readFileSync(where.file, 'utf8')
      .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
    const made = asset(Buffer.from(text), where.type);
    loaded.set(name, made);
    return made;
  };
}

function asset(body: Buffer, type: string): IdeAsset {
  let gzip: Buffer | undefined;
  return {
    type,
    body,
    gzip: () => (gzip ??= zlib.gzipSync(body)),
    etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}
