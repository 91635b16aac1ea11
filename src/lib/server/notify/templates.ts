/**
 * What each notification says: a subject and a plain-text body, from the event and a few facts.
 * Plain text only (no HTML to escape, readable in any client); the same title and text are the
 * in-app notice. Never names a staff member or a reviewer: decisions are "Program staff"'s
 * (docs/architecture.md, audit shown to candidates).
 */
import type { NoticeEvent } from '$lib/domain/docs/notices';

export interface TemplateFacts {
	/** The recipient's name as the account holds it. */
	name: string;
	/** The app's address, for "open your record" lines (ORIGIN). */
	appUrl: string;
	/** application-declined / needs-information: the reason or question staff wrote. */
	reason?: string;
	/** fee-recorded: e.g. "paid", "waived", "refunded". */
	feeState?: string;
	/** fee-recorded: the amount in dollars. */
	amount?: number;
	/** deadline-approaching: the deadline (YYYY-MM-DD) and how many months are left. */
	deadline?: string;
	monthsLeft?: number;
	/** evaluator-trained: the training event and its date. */
	training?: string;
	/** email-confirmation: the link that confirms the address (it carries the token). */
	confirmUrl?: string;
	/** password-reset: the link that sets a new password (it carries the token). */
	resetUrl?: string;
	/** review-assigned / review-reminder: the set's name, the round and the due date; never anything about the candidate. */
	setName?: string;
	round?: number;
	dueOn?: string;
	/** review-released: the outcome, and with a revision how many submissions are left. */
	outcome?: 'achieved' | 'revision-requested' | 'not-achieved-final';
	revisionsLeft?: number | null;
	/** review-released and material-reminder: the day a request for additional material is due (domain/material-request.ts). */
	materialDueOn?: string | null;
	/** certificate-awarded: its number and last valid day. */
	certificateNumber?: string;
	expiresOn?: string;
	/** appeal-decided: the committee's outcome (setName and reason too). */
	appealOutcome?: 'upheld' | 'denied' | 'rereview-ordered';
	/** renewal-decided: staff's outcome, with the certificate's number and last valid day after it (and the reason of a refusal). */
	renewalOutcome?: 'accepted' | 'refused';
}

export interface Message {
	subject: string;
	text: string;
}

const PROGRAM = 'Library Support Staff Certification Program';

function need<T>(value: T | undefined, what: string, event: NoticeEvent): T {
	if (value === undefined) throw new Error(`the ${event} notification needs ${what}`);
	return value;
}

const sign = (facts: TemplateFacts) => `\n\nOpen your record: ${new URL('/app', facts.appUrl).href}\n\n-- Program staff, ${PROGRAM}`;
const signSite = (facts: TemplateFacts) => `\n\nThe program: ${new URL('/', facts.appUrl).href}\n\n-- Program staff, ${PROGRAM}`;
const signEvaluator = (facts: TemplateFacts) => `\n\nOpen the review pages: ${new URL('/review', facts.appUrl).href}\n\n-- Program staff, ${PROGRAM}`;

const templates: { [E in NoticeEvent]: (facts: TemplateFacts) => Message } = {
	'application-received': (f) => ({
		subject: 'We received your application',
		text: `Dear ${f.name},\n\nWe received your application to the ${PROGRAM}. Program staff will review it and let you know their decision; you do not need to do anything now.${sign(f)}`
	}),
	'application-accepted': (f) => ({
		subject: 'Your application was accepted',
		text: `Dear ${f.name},\n\nProgram staff accepted your application. You have four years from today to complete the competency sets; your record shows your deadline and what is still needed.${sign(f)}`
	}),
	'application-declined': (f) => ({
		subject: 'Your application was not accepted',
		text: `Dear ${f.name},\n\nProgram staff could not accept your application. Their reason:\n\n${need(f.reason, 'a reason', 'application-declined')}${sign(f)}`
	}),
	'application-needs-information': (f) => ({
		subject: 'Program staff need more information about your application',
		text: `Dear ${f.name},\n\nProgram staff need more information before they can decide on your application:\n\n${need(f.reason, 'a question', 'application-needs-information')}\n\nAnswer in your application and submit it again.${sign(f)}`
	}),
	'fee-recorded': (f) => ({
		subject: `Your program fee was recorded as ${need(f.feeState, 'the fee state', 'fee-recorded')}`,
		text: `Dear ${f.name},\n\nProgram staff recorded your program fee of $${need(f.amount, 'the amount', 'fee-recorded')} as ${f.feeState}. Your record shows the receipt.${sign(f)}`
	}),
	'evaluator-selected': (f) => ({
		subject: 'You were selected as a portfolio evaluator',
		text: `Dear ${f.name},\n\nThe Certification Review Committee selected you as a portfolio evaluator. Before you can be assigned portfolios, complete the portfolio assessment training; program staff will record it.${signEvaluator(f)}`
	}),
	'evaluator-declined': (f) => ({
		subject: 'Your application to evaluate portfolios',
		text: `Dear ${f.name},\n\nThank you for applying to evaluate portfolios. The Certification Review Committee did not select you this time. Their reason:\n\n${need(f.reason, 'a reason', 'evaluator-declined')}${signSite(f)}`
	}),
	'evaluator-trained': (f) => ({
		subject: 'Your evaluator training was recorded',
		text: `Dear ${f.name},\n\nProgram staff recorded your portfolio assessment training${f.training ? ` (${f.training})` : ''}. You can now be assigned portfolios in the sets you know.${signEvaluator(f)}`
	}),
	'email-confirmation': (f) => ({
		subject: 'Confirm your email address',
		// Not "Dear <name>": the name is whatever the registrant typed, and this mail goes to an
		// address nobody has confirmed (red team: a name can be made to read like a message).
		text: `Hello,\n\nAn account of the ${PROGRAM} was made with this email address. To confirm that the address is yours, open this link and press "Confirm" (it works for 7 days):\n\n${need(f.confirmUrl, 'the link', 'email-confirmation')}\n\nUntil then, the program sends nothing else to this address. If you did not make this account, ignore this message: the address stays unconfirmed.${signSite(f)}`
	}),
	// To whoever holds the address, even if someone else registered it first: not "Dear <the name
	// on the account>", which may be that someone's choice.
	'registration-attempted': (f) => ({
		subject: 'Someone tried to make an account with your email address',
		text: `Hello,\n\nSomeone tried to make a new account of the ${PROGRAM} with this email address. An account with this address already exists, so nothing was made and that account is unchanged. If it was you, sign in instead: ${new URL('/login', f.appUrl).href}\n\nIf you did not make that account, or have forgotten its password, you can set a new password through this address: ${new URL('/forgot-password', f.appUrl).href}\n\nIf it was not you and you have no account here, you need not do anything.${signSite(f)}`
	}),
	'password-reset': (f) => ({
		subject: 'Reset your password',
		text: `Hello,\n\nSomeone asked to set a new password for the account of the ${PROGRAM} that uses this email address. To choose a new password, open this link (it works for 1 hour, once):\n\n${need(f.resetUrl, 'the link', 'password-reset')}\n\nSetting it signs the account out on every device and confirms this address. If you did not ask, ignore this message: nothing changes.${signSite(f)}`
	}),
	'review-assigned': (f) => ({
		subject: `A portfolio to review: ${need(f.setName, 'the set', 'review-assigned')}`,
		text: `Dear ${f.name},\n\nA portfolio of the ${f.setName} set (round ${need(f.round, 'the round', 'review-assigned')}) was assigned to you. Please assess it by ${need(f.dueOn, 'the due date', 'review-assigned')}. If you cannot, or you recognise a conflict, decline it on the review pages and it goes to another evaluator.${signEvaluator(f)}`
	}),
	'review-reminder': (f) => ({
		subject: `Reminder: your review of a ${need(f.setName, 'the set', 'review-reminder')} portfolio is due ${need(f.dueOn, 'the due date', 'review-reminder')}`,
		text: `Dear ${f.name},\n\nThis is a reminder that your assessment of a ${f.setName} portfolio (round ${need(f.round, 'the round', 'review-reminder')}) is due on ${f.dueOn}. An assessment not done by then goes to another evaluator.${signEvaluator(f)}`
	}),
	'review-released': (f) => {
		const set = need(f.setName, 'the set', 'review-released');
		const outcome = need(f.outcome, 'the outcome', 'review-released');
		const words = {
			achieved: { subject: `${set}: achieved`, text: `the reviewers found that your portfolio achieves the ${set} set. An achieved set is final; it counts toward your certificate.` },
			'revision-requested': {
				subject: `${set}: the reviewers ask for a revision`,
				text: `the reviewers ask you to revise your ${set} portfolio. Read their feedback in your record, revise the narratives and evidence it names, and submit the set again${f.revisionsLeft ? ` (you may submit it ${f.revisionsLeft === 1 ? 'once more' : `${f.revisionsLeft} more times`})` : ''}.`
			},
			'not-achieved-final': {
				subject: `${set}: not achieved`,
				text: `the reviewers found that your portfolio does not achieve the ${set} set, and it cannot be revised again. You can still achieve the set by completing an approved course, or appeal the decision to the Certification Review Committee.`
			}
		}[outcome];
		const material = f.materialDueOn ? ` They also ask for additional material, by ${f.materialDueOn}: your record says what; send it by submitting the set again.` : '';
		return { subject: words.subject, text: `Dear ${f.name},\n\nThe review of your ${set} portfolio is complete: ${words.text}${material} Your record shows the reviewers' feedback on each competency.${sign(f)}` };
	},
	'material-reminder': (f) => {
		const set = need(f.setName, 'the set', 'material-reminder');
		const due = need(f.materialDueOn ?? undefined, 'the due date', 'material-reminder');
		return {
			subject: `${set}: the additional material is due by ${due}`,
			text: `Dear ${f.name},\n\nThe reviewers of your ${set} portfolio asked for additional material by ${due}, and the set has not been submitted again yet. Your record says what they ask for: add it to the portfolio and submit the set again. If you cannot send it in time, tell program staff.${sign(f)}`
		};
	},
	'certificate-awarded': (f) => ({
		subject: `You are certified: certificate ${need(f.certificateNumber, 'the number', 'certificate-awarded')}`,
		text: `Dear ${f.name},

Congratulations: the Certification Review Committee awarded you the ${PROGRAM} certificate, number ${f.certificateNumber}. It is valid until ${need(f.expiresOn, 'the expiry', 'certificate-awarded')}; renew it before then (the program reminds you when the renewal window opens). Your record shows it, even offline.${sign(f)}`
	}),
	'renewal-reminder': (f) => ({
		subject: `Renew your certificate by ${need(f.expiresOn, 'the expiry', 'renewal-reminder')}`,
		text: `Dear ${f.name},

Your ${PROGRAM} certificate${f.certificateNumber ? ` ${f.certificateNumber}` : ''} is valid until ${f.expiresOn}. The renewal window is open: apply to renew it before that day, or it lapses.${sign(f)}`
	}),
	'renewal-decided': (f) => {
		const number = need(f.certificateNumber, 'the number', 'renewal-decided');
		const expiresOn = need(f.expiresOn, 'the expiry', 'renewal-decided');
		if (need(f.renewalOutcome, 'the outcome', 'renewal-decided') === 'accepted') {
			return { subject: `Certificate ${number} is renewed until ${expiresOn}`, text: `Dear ${f.name},\n\nYour application to renew your ${PROGRAM} certificate ${number} is accepted: it is now valid until ${expiresOn}.${sign(f)}` };
		}
		return {
			subject: `Your application to renew certificate ${number} was refused`,
			text: `Dear ${f.name},\n\nProgram staff refused your application to renew your ${PROGRAM} certificate ${number}, valid until ${expiresOn}. The reason:\n\n${need(f.reason, 'the reason', 'renewal-decided')}\n\nWhile the renewal window is open you may apply again.${sign(f)}`
		};
	},
	'appeal-decided': (f) => {
		const set = need(f.setName, 'the set', 'appeal-decided');
		const outcome = need(f.appealOutcome, 'the outcome', 'appeal-decided');
		const word = outcome === 'denied' ? 'denied' : 'upheld';
		// What follows, as domain/appeal.ts defines each outcome.
		const next = {
			upheld: "The committee agrees that the review went wrong; its reasons above say what it does about it. It did not order a new review, and only a new review changes a reviewers' decision, so the decision itself stays as released.",
			'rereview-ordered': 'The committee ordered a new review: your portfolio as you submitted it goes to evaluators who have not assessed it. Its decision replaces the one you appealed; you will be told when it is released.',
			denied: ''
		}[outcome];
		return {
			subject: `${set}: your appeal was ${word}${outcome === 'rereview-ordered' ? ' and a new review ordered' : ''}`,
			text: `Dear ${f.name},\n\nThe Certification Review Committee has decided your appeal of the ${set} decision: it is ${word}. The committee's reasons:\n\n${need(f.reason, 'the reasons', 'appeal-decided')}${next ? `\n\n${next}` : ''}${sign(f)}`
		};
	},
	'deadline-approaching': (f) => {
		const months = need(f.monthsLeft, 'the months left', 'deadline-approaching');
		const left = months === 1 ? 'one month' : `${months} months`;
		return {
			subject: `Your certification deadline is in ${left}`,
			text: `Dear ${f.name},\n\nYour four years to complete the competency sets end on ${need(f.deadline, 'the deadline', 'deadline-approaching')}, in ${left}. Sets achieved after that day do not count toward certification.${sign(f)}`
		};
	}
};

/** A name as typed, on one line: control characters and line or paragraph separators become spaces. */
export function oneLine(name: string): string {
	return name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function render(event: NoticeEvent, facts: TemplateFacts): Message {
	// Names stored before registration refused line breaks can hold them still (red team).
	return templates[event]({ ...facts, name: oneLine(facts.name) });
}

/** The reminders before the four-year deadline, in months (issue 10). */
export const DEADLINE_REMINDER_MONTHS = [12, 6, 3, 1] as const;
