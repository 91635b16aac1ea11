/** The audit database: an append-only log of every decision and state change. Server only. */
import { z } from '../zod';
import { couchFields, idOf, requiredText, timestampSchema, userIdSchema } from './fields';

export const auditEventSchema = z
	.strictObject({
		_id: idOf('audit', 'an audit event'),
		...couchFields,
		at: timestampSchema,
		actor: z.union([userIdSchema, z.literal('system')]),
		/** Dotted verb such as `set.achieved` or `application.accepted`. */
		action: z.string().regex(/^[a-z]+(?:[.-][a-z]+)*$/, { error: 'An action looks like set.achieved.' }).max(100),
		subject: requiredText('Subject', 300),
		before: z.json().optional(),
		after: z.json().optional()
	})
	.superRefine((event, ctx) => {
		if (!event._id.startsWith(`audit:${event.at}:`)) {
			ctx.addIssue({ code: 'custom', path: ['at'], message: 'The time does not match the id.' });
		}
	});
export type AuditEvent = z.infer<typeof auditEventSchema>;
