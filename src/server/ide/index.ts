/**
 * GRAPHQL_IDE: GraphiQL for browsers at GET /graphql (a request that prefers text/html), its files
 * under GET /graphql/ide/<file>. Everything it loads comes from this service, and its page has its
 * own CSP: scripts, styles and connections to 'self' only, fonts and icons from data: URIs.
 */
import type { Request, RequestHandler, Response } from 'express';
import express from 'express';
import type { Clock } from '../../clock';
import { ErrorCode } from '../../common/errors';
import { methodNotAllowed, sendError } from '../http';
import { ideAssets, SCRIPTS, STYLESHEETS } from './assets';
import { ideExamples, headersFor } from './examples';

/** Where the page and its files are. */
export const IDE_PATH = '/graphql';
export const IDE_ASSETS_PATH = '/graphql/ide';

/** The page's CSP: nothing from anywhere but this service (and data: URIs for fonts and icons). */
export const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  // CSP3: 'self' also matches ws:/wss: to the page's own host, the IDE's subscriptions.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface IdeOptions {
  production: boolean;
  clock: Clock;
}

/** A browser opening the address: it prefers HTML to JSON. curl and GraphQL clients do not. */
function wantsPage(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** JSON inside a <script type="application/json">: no `<` can end the element early. */
function dataBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function page(options: IdeOptions): string {
  const config = {
    endpoint: IDE_PATH,
    headers: headersFor(),
    tabs: ideExamples(options.production, options.clock.now()).map((e) => e.tab),
  };
  const css = STYLESHEETS.map((f) => `<link rel="stylesheet" href="${IDE_ASSETS_PATH}/${f}">`);
  const js = SCRIPTS.map((f) => `<script src="${IDE_ASSETS_PATH}/${f}"></script>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>GraphiQL · Enforcement priorities API</title>',
    // No favicon request to a path that does not exist.
    '<link rel="icon" href="data:,">',
    ...css,
    '</head>',
    '<body>',
    '<div id="graphiql">Loading GraphiQL…</div>',
    '<noscript>GraphiQL needs JavaScript. The API itself answers POST /graphql.</noscript>',
    `<script type="application/json" id="ide-config">${dataBlock(config)}</script>`,
    ...js,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function sendAsset(
  assets: ReturnType<typeof ideAssets>,
  req: Request,
  res: Response,
  name: string,
): void {
  const asset = assets(name);
  if (!asset) {
    sendError(res, 404, ErrorCode.NOT_FOUND, `No such IDE file: ${name.slice(0, 100)}`);
    return;
  }
  const gzip = req.acceptsEncodings('gzip') === 'gzip';
  // Each encoding is its own representation, with its own validator.
  const etag = gzip ? asset.etag.replace(/"$/, '-gzip"') : asset.etag;
  res.setHeader('content-type', asset.type);
  res.setHeader('etag', etag);
  // Revalidated on each load (a 304 when unchanged), so an upgrade is seen at once.
  res.setHeader('cache-control', 'no-cache');
  res.vary('Accept-Encoding');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  if (gzip) res.setHeader('content-encoding', 'gzip');
  res.end(gzip ? asset.gzip() : asset.body);
}

/**
 * The IDE's routes; mount before the GraphQL middleware. A GET /graphql that does not prefer HTML
 * goes on to the API.
 */
export function ideRoutes(options: IdeOptions): RequestHandler {
  const assets = ideAssets();
  const router = express.Router();
  // A router answers OPTIONS itself for paths it routes; preflights and OPTIONS belong to cors()
  // and the API further on.
  router.use((req, _res, next) => next(req.method === 'OPTIONS' ? 'router' : undefined));
  router.get(IDE_PATH, (req, res, next) => {
    if (!wantsPage(req)) return next();
    res.setHeader('content-security-policy', IDE_CSP);
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(page(options));
  });
  router.get(`${IDE_ASSETS_PATH}/:file`, (req, res) =>
    sendAsset(assets, req, res, req.params.file),
  );
  router.all(`${IDE_ASSETS_PATH}/:file`, methodNotAllowed(['GET', 'HEAD']));
  // Nothing deeper exists; without this the GraphQL middleware would answer these paths.
  router.use(IDE_ASSETS_PATH, (req, res) => {
    sendError(
      res,
      404,
      ErrorCode.NOT_FOUND,
      `No such path: ${req.method} ${req.baseUrl}${req.path}`.slice(0, 200),
    );
  });
  return router;
}
