/**
 * A real SMTP receiver for the tests (`smtp-server`), on a port of the test's choosing, keeping
 * every message it takes. `refuse` makes it answer RCPT TO with that code (4xx: try later).
 */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
	to: string[];
	data: string;
	/** The outbox key the app puts in `X-CAR-Key`. */
	key: string | null;
}

export interface Receiver {
	received: ReceivedMail[];
	close(): Promise<void>;
}

export function startReceiver(port: number, refuse?: number): Promise<Receiver> {
	const received: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(_address, _session, callback) {
			if (refuse) return callback(Object.assign(new Error(`${refuse} not now`), { responseCode: refuse }));
			callback();
		},
		onData(stream, session, callback) {
			const chunks: Uint8Array[] = [];
			stream.on('data', (chunk: Uint8Array) => chunks.push(chunk));
			stream.on('end', () => {
				const data = Buffer.concat(chunks).toString('utf8');
				// Long header lines come folded (a line break, then white space): unfolded to read them.
				const head = data.slice(0, data.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
				received.push({ to: session.envelope.rcptTo.map((r) => r.address), data, key: /^X-CAR-Key:\s*(\S+)\s*$/im.exec(head)?.[1] ?? null });
				callback();
			});
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve({ received, close: () => new Promise<void>((done) => server.close(() => done())) }));
	});
}
