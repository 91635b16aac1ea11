/**
 * The program fee (issue 10) and the candidate's own history, in the three places they live:
 * - `fee` in the candidate index (`candidate:<userId>`, program database): the server's truth,
 *   written only by `record-fee` (server/workflow/record-fee.ts);
 * - `srv:fee` in the candidate's database: its mirror for the phone and the printable receipt;
 * - `srv:history` in the candidate's database: the candidate's own history, derived from the audit
 *   events about them (`candidateHistoryOf`, domain/history.ts), with actors shown only as "You"
 *   or "Program staff".
 * No card processing: what staff record is what matters (the briefing: "$350 at application").
 * Imports nothing from the server's schemas, so the phone may load it.
 */
import { z } from '../zod';
import { couchFields, isoDateSchema, text, timestampSchema, userIdSchema, uuidV4Schema } from './fields';

/** What staff record; the fee is "due" while nothing is recorded. */
export const feeStatusValues = ['paid', 'waived', 'refunded'] as const;
export type FeeStatus = (typeof feeStatusValues)[number];

export const feeMethodValues = ['check', 'card-at-conference', 'institutional-payment', 'other'] as const;
export type FeeMethod = (typeof feeMethodValues)[number];

const feeFields = {
	status: z.enum(feeStatusValues, { error: 'Choose paid, waived or refunded.' }),
	/** The amount in cents, from the policy in force when it was recorded (`feeCents`). */
	amountCents: z.number().int().nonnegative(),
	currency: z.string().regex(/^[A-Z]{3}$/),
	/** The day it was paid, waived or refunded (not the day it was recorded). */
	on: isoDateSchema,
	/** How the money moved; null for a waiver, where none did. */
	method: z.enum(feeMethodValues).nullable(),
	/** A check number, a receipt or invoice number: whatever lets the office find the payment again. */
	reference: text('Reference', 200),
	recordedAt: timestampSchema
};

/** A waiver moves no money, so it has no method; a payment or a refund has one. */
function methodFitsStatus(fee: { status: FeeStatus; method: FeeMethod | null }, ctx: z.RefinementCtx): void {
	if ((fee.status === 'waived') !== (fee.method === null)) {
		ctx.addIssue({ code: 'custom', path: ['method'], message: fee.status === 'waived' ? 'A waiver has no payment method.' : 'Choose how it was paid or refunded.' });
	}
}

/** `fee` in the candidate index: the last record staff made, naming its action. */
export const indexedFeeSchema = z.strictObject({ ...feeFields, actionId: uuidV4Schema }).superRefine(methodFitsStatus);
export type IndexedFee = z.infer<typeof indexedFeeSchema>;

/** `srv:fee`: the fee's state on the phone, and what the printable receipt shows. */
export const feeMirrorSchema = z.strictObject({ _id: z.literal('srv:fee'), ...couchFields, ...feeFields, receiptNumber: z.string().max(40) }).superRefine(methodFitsStatus);
export type FeeMirror = z.infer<typeof feeMirrorSchema>;

/** `record-fee`: staff's or the committee's record of the fee of the candidate `userId`. */
export const recordFeeRequestSchema = z.strictObject({
	id: uuidV4Schema,
	kind: z.literal('record-fee'),
	userId: userIdSchema,
	status: z.enum(feeStatusValues, { error: 'Choose paid, waived or refunded.' }),
	on: isoDateSchema,
	method: z.enum(feeMethodValues).nullable(),
	reference: text('Reference', 200)
}).superRefine(methodFitsStatus);

export const recordFeeResultSchema = z.strictObject({
	userId: userIdSchema,
	status: z.enum(feeStatusValues),
	on: isoDateSchema,
	amountCents: z.number().int().nonnegative(),
	currency: z.string()
});
export type RecordFeeResult = z.infer<typeof recordFeeResultSchema>;

/** One line of the candidate's own history: who ("You" or "Program staff", never a name), what, before → after. */
export const historyEntrySchema = z.strictObject({
	at: timestampSchema,
	actor: z.enum(['You', 'Program staff']),
	what: text('What happened', 200),
	before: text('Before', 200).nullable(),
	after: text('After', 200).nullable()
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** `srv:history`: newest first. */
export const historyMirrorSchema = z.strictObject({ _id: z.literal('srv:history'), ...couchFields, entries: z.array(historyEntrySchema).max(500) });
export type HistoryMirror = z.infer<typeof historyMirrorSchema>;
