import { describe, expect, it } from 'vitest';
import { noticeEvents } from '$lib/domain/docs/notices';
import { render } from './templates';

const facts = { name: 'Robin Example', appUrl: 'https://car.example.org', reason: 'Tell us about 2019.', feeState: 'paid', amount: 350, deadline: '2028-03-15', monthsLeft: 6, training: 'Midwinter 2027', confirmUrl: 'https://car.example.org/confirm-email?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', resetUrl: 'https://car.example.org/reset-password?token=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', setName: 'Technology', round: 1, dueOn: '2026-12-28', outcome: 'revision-requested' as const, revisionsLeft: 1, certificateNumber: 'LSSC-2026-00042', expiresOn: '2031-11-30', appealOutcome: 'denied' as const, renewalOutcome: 'refused' as const, materialDueOn: '2027-01-29' };
// Written to whoever holds the address, not to the account: its name may be someone else's choice.
const toTheAddress = new Set(['email-confirmation', 'password-reset', 'registration-attempted']);

describe('notification templates', () => {
	it.each(noticeEvents)('%s has a subject and a plain text signed by Program staff', (event) => {
		const message = render(event, facts);
		expect(message.subject.length).toBeGreaterThan(5);
		expect(message.subject).not.toMatch(/\n/);
		if (toTheAddress.has(event)) expect(message.text).toMatch(/^Hello,\n/);
		else expect(message.text).toMatch(/^Dear Robin Example,/);
		expect(message.text).toMatch(/-- Program staff, Library Support Staff Certification Program$/);
		expect(message.text).toContain('https://car.example.org/');
		expect(message.text).not.toMatch(/<[a-z]/i);
	});

	it('tells the holder how their renewal was decided, with the reason of a refusal', () => {
		expect(render('renewal-decided', { ...facts, renewalOutcome: 'accepted', expiresOn: '2036-11-30' })).toMatchObject({ subject: 'Certificate LSSC-2026-00042 is renewed until 2036-11-30', text: expect.stringContaining('valid until 2036-11-30') });
		expect(render('renewal-decided', facts)).toMatchObject({ subject: expect.stringMatching(/refused/), text: expect.stringContaining('Tell us about 2019.') });
		expect(() => render('renewal-decided', { name: 'R', appUrl: 'https://x.example', certificateNumber: 'LSSC-2026-00042', expiresOn: '2031-11-30' })).toThrow(/needs the outcome/);
	});

	it('says what the event needs said', () => {
		expect(render('application-declined', facts).text).toContain('Tell us about 2019.');
		expect(render('application-needs-information', facts).text).toContain('Tell us about 2019.');
		expect(render('fee-recorded', facts)).toMatchObject({ subject: 'Your program fee was recorded as paid', text: expect.stringContaining('$350') });
		expect(render('deadline-approaching', facts)).toMatchObject({ subject: 'Your certification deadline is in 6 months', text: expect.stringContaining('2028-03-15') });
		expect(render('deadline-approaching', { ...facts, monthsLeft: 1 }).subject).toBe('Your certification deadline is in one month');
	});

	it('tells the candidate the released outcome and what to do next', () => {
		expect(render('review-released', { ...facts, outcome: 'achieved' })).toMatchObject({ subject: 'Technology: achieved', text: expect.stringContaining('final') });
		const revise = render('review-released', facts);
		expect(revise.subject).toBe('Technology: the reviewers ask for a revision');
		expect(revise.text).toContain('submit the set again (you may submit it once more)');
		const closed = render('review-released', { ...facts, outcome: 'not-achieved-final' }).text;
		expect(closed).toContain('approved course');
		expect(closed).toContain('appeal');
		expect(() => render('review-released', { name: 'R', appUrl: 'https://x.example', setName: 'Technology' })).toThrow(/needs the outcome/);
	});

	it('names the due date of a request for additional material, with the release and in its reminder', () => {
		expect(render('review-released', facts).text).toContain('additional material, by 2027-01-29');
		expect(render('review-released', { ...facts, materialDueOn: null }).text).not.toContain('additional material');
		expect(render('material-reminder', facts)).toMatchObject({ subject: 'Technology: the additional material is due by 2027-01-29', text: expect.stringContaining('submit the set again') });
		expect(() => render('material-reminder', { name: 'R', appUrl: 'https://x.example', setName: 'Technology' })).toThrow(/needs the due date/);
	});

	it('tells the holder their certificate number and when it lapses', () => {
		const awarded = render('certificate-awarded', { ...facts, certificateNumber: 'LSSC-2026-00042', expiresOn: '2031-11-30' });
		expect(awarded.subject).toBe('You are certified: certificate LSSC-2026-00042');
		expect(awarded.text).toContain('valid until 2031-11-30');
		expect(() => render('certificate-awarded', { name: 'R', appUrl: 'https://x.example', expiresOn: '2031-11-30' })).toThrow(/needs the number/);
	});

	it('tells the candidate the committee’s decision on their appeal, with its reasons', () => {
		const denied = render('appeal-decided', facts);
		expect(denied.subject).toBe('Technology: your appeal was denied');
		expect(denied.text).toContain('Tell us about 2019.');
		expect(render('appeal-decided', { ...facts, appealOutcome: 'upheld' }).subject).toBe('Technology: your appeal was upheld');
		expect(render('appeal-decided', { ...facts, appealOutcome: 'upheld' }).text).toContain('It did not order a new review, and only a new review changes a reviewers\' decision, so the decision itself stays as released.');
		const rereview = render('appeal-decided', { ...facts, appealOutcome: 'rereview-ordered' });
		expect(rereview.subject).toBe('Technology: your appeal was upheld and a new review ordered');
		expect(rereview.text).toContain('goes to evaluators who have not assessed it');
		expect(() => render('appeal-decided', { name: 'R', appUrl: 'https://x.example', setName: 'Technology', reason: 'x' })).toThrow(/needs the outcome/);
	});

	it('sends the confirmation link, and tells someone who did not register what to do', () => {
		const link = render('email-confirmation', facts);
		expect(link.subject).toBe('Confirm your email address');
		expect(link.text).toContain(`\n\n${facts.confirmUrl}\n\n`);
		expect(link.text).toMatch(/7 days/);
		expect(link.text).toMatch(/If you did not/);
		const attempt = render('registration-attempted', facts);
		expect(attempt.text).toContain('https://car.example.org/login');
		expect(attempt.text).toContain('https://car.example.org/forgot-password');
		expect(attempt.text).not.toContain(facts.confirmUrl);
		expect(attempt.text).not.toContain('Robin');
		expect(() => render('email-confirmation', { name: 'R', appUrl: 'https://x.example' })).toThrow(/needs the link/);
	});

	it('puts a name on one line, whatever was stored', () => {
		expect(render('application-received', { ...facts, name: 'Dear friend,\r\n\r\nURGENT:\u2028pay' }).text).toMatch(/^Dear Dear friend, URGENT: pay,\n\n/);
		expect(render('email-confirmation', { ...facts, name: 'Pay now at https://evil.example' }).text).not.toContain('evil.example');
	});

	it('sends the reset link, valid for an hour, and says what to do if nobody asked', () => {
		const reset = render('password-reset', facts);
		expect(reset.subject).toBe('Reset your password');
		expect(reset.text).toContain(`\n\n${facts.resetUrl}\n\n`);
		expect(reset.text).toMatch(/1 hour/);
		expect(reset.text).toMatch(/If you did not ask/);
		expect(reset.text).not.toContain('Robin');
		expect(() => render('password-reset', { name: 'R', appUrl: 'https://x.example' })).toThrow(/needs the link/);
	});

	it('tells a reviewer the set, round and due date of an assignment, and nothing else', () => {
		expect(render('review-assigned', facts)).toMatchObject({ subject: 'A portfolio to review: Technology', text: expect.stringContaining('2026-12-28') });
		expect(render('review-reminder', facts).subject).toBe('Reminder: your review of a Technology portfolio is due 2026-12-28');
		expect(() => render('review-assigned', { name: 'R', appUrl: 'https://x.example' })).toThrow(/needs the set/);
	});

	it('refuses to send a decline without its reason', () => {
		expect(() => render('application-declined', { name: 'R', appUrl: 'https://x.example' })).toThrow(/needs a reason/);
	});
});
