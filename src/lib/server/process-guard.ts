/**
 * The app serves many people from one process: one request's mistake must not stop it for all
 * (issue 7, finding 4: an unobserved rejected promise in the gateway made Node exit). Rejections
 * are fixed where they arise; this is the net under them. A rejection nobody handled is logged
 * and the process carries on. Thrown exceptions are left to Node's default (the state of the
 * process is unknown after one).
 */
let installed = false;

export function logUnhandledRejections(): void {
	if (installed) return;
	installed = true;
	process.on('unhandledRejection', (reason) => {
		console.error('Unhandled promise rejection (the request it belonged to failed; the server keeps running):', reason);
	});
}
