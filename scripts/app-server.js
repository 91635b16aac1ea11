/**
 * Serves the built app (`node scripts/app-server.js`, after `npm run build`): adapter-node's
 * handler inside a Node HTTP server that puts the security headers on every response first.
 * adapter-node's own server (`node build`) serves static files and prerendered pages without
 * running SvelteKit's hooks, so those went out with no headers at all.
 *
 * Reads PORT, HOST and ORIGIN like `build/index.js` (and every other adapter-node variable, which
 * the handler reads itself). Server-rendered pages replace the CSP set here with SvelteKit's own
 * (the same directives, with a nonce for their inline script).
 */
import http from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { contentSecurityPolicy, securityHeaders } from './security-policy.js';

const build = fileURLToPath(new URL('../build/', import.meta.url));

/** Seconds from the environment, or the default. */
function seconds(name, fallback) {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of seconds`);
	return value * 1000;
}

/**
 * The hashes SvelteKit put in the <meta> policies of the prerendered pages, for their inline
 * bootstrap scripts. The header of a prerendered page must allow them too, or the two policies
 * together would block the app from starting. (Allowing one page's bootstrap on another is harmless:
 * they are the app's own scripts.)
 */
async function prerenderedScriptHashes() {
	const hashes = new Set();
	const files = (await readdir(join(build, 'prerendered'), { recursive: true })).filter((f) => f.endsWith('.html'));
	for (const file of files) {
		const html = await readFile(join(build, 'prerendered', file), 'utf8');
		const meta = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html)?.[1] ?? '';
		const scripts = /(?:^|;)\s*script-src\s+([^;]*)/.exec(meta)?.[1] ?? '';
		for (const m of scripts.matchAll(/'(sha(?:256|384|512)-[A-Za-z0-9+/=]+)'/g)) hashes.add(m[1]);
	}
	return hashes;
}

const origin = process.env.ORIGIN;
const protocolHeader = (process.env.PROTOCOL_HEADER ?? '').toLowerCase();

/** Did the browser reach us over HTTPS: TLS here, an https ORIGIN, or a trusted proxy that says so. */
function reachedOverHttps(req) {
	if (req.socket.encrypted || origin?.startsWith('https:')) return true;
	if (!protocolHeader) return false;
	const value = req.headers[protocolHeader];
	return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim().toLowerCase() === 'https';
}

const csp = contentSecurityPolicy({ extraScripts: await prerenderedScriptHashes() });
const { handler } = await import(pathToFileURL(join(build, 'handler.js')).href);

let shuttingDown = false;

/**
 * With a loopback ORIGIN (`npm start`: http://localhost:PORT), the same app is also reachable as
 * 127.0.0.1 or [::1], where the browser's Origin would not match and every form would get a silent
 * 403: those names are sent on to ORIGIN instead, so whichever address a newcomer opens works.
 */
const loopbackOrigin = origin && /^http:\/\/localhost(:\d+)?$/.test(origin) ? new URL(origin) : null;
function loopbackAlias(req) {
	if (!loopbackOrigin) return false;
	const host = (req.headers.host ?? '').toLowerCase();
	const port = loopbackOrigin.port ? `:${loopbackOrigin.port}` : '';
	return host === `127.0.0.1${port}` || host === `[::1]${port}`;
}

// Timed-out requests are looked for every 5 s (Node's default, 30 s, would let a slow client hold a
// connection well past the limits below).
const server = http.createServer({ connectionsCheckingInterval: 5000 }, (req, res) => {
	// During a shutdown, a connection is closed as soon as its request in flight is answered.
	res.on('close', () => shuttingDown && server.closeIdleConnections());
	res.setHeader('content-security-policy', csp);
	for (const [name, value] of Object.entries(securityHeaders({ https: reachedOverHttps(req) }))) res.setHeader(name, value);
	if (loopbackAlias(req)) {
		res.writeHead(308, { location: new URL(req.url ?? '/', loopbackOrigin).href }).end();
		return;
	}
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});

// Slow clients: headers must arrive quickly, but a request body may be a replication batch of up
// to 64 MB from a phone on a poor connection, so the whole request gets minutes, not seconds.
server.headersTimeout = seconds('HEADERS_TIMEOUT', 20);
server.requestTimeout = seconds('REQUEST_TIMEOUT', 600);
// Longer than the idle timeout of common load balancers (60 s), so they never reuse a closed connection.
server.keepAliveTimeout = seconds('KEEP_ALIVE_TIMEOUT', 65);

const host = process.env.HOST ?? '0.0.0.0';
const port = Number(process.env.PORT ?? 3000);
// The address to open is ORIGIN's (the forms check it), not the interface the server binds to.
server.listen(port, host, () => console.log(`Listening on ${host}:${port}${origin ? `, open ${origin}` : ''}`));

/** Stops taking connections, lets requests in flight finish (up to SHUTDOWN_TIMEOUT s), then exits. */
function shutdown(reason) {
	if (shuttingDown) return;
	shuttingDown = true;
	server.closeIdleConnections();
	server.close(() => {
		// adapter-node's signal for the app to release resources, as `build/index.js` sends it.
		process.emit('sveltekit:shutdown', reason);
		process.exit(0);
	});
	setTimeout(() => server.closeAllConnections(), seconds('SHUTDOWN_TIMEOUT', 30)).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
