import type { SubmitFunction } from '@sveltejs/kit';

/**
 * A form sent with `use:enhance` that says it is on its way: `pending` while the server answers, so
 * the button can be disabled and say what is happening. One shape for every such form (sign-in,
 * registration, the office's decisions). `reset: false` keeps what was typed when the answer is a
 * refusal to correct.
 */
export class PendingForm {
	pending = $state(false);

	constructor(private readonly options: { reset?: boolean } = {}) {}

	readonly submit: SubmitFunction = () => {
		this.pending = true;
		return async ({ update }) => {
			try {
				await update({ reset: this.options.reset ?? true });
			} finally {
				this.pending = false;
			}
		};
	};
}
