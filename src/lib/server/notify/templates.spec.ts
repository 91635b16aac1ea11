import { describe, expect, it } from 'vitest';
import { noticeEvents } from '$lib/domain/docs/notices';
import { render } from './templates';

const facts = { name: 'Robin Example', appUrl: 'https://car.example.org', reason: 'Tell us about 2019.', feeState: 'paid', amount: 350, deadline: '2028-03-15', monthsLeft: 6, training: 'Midwinter 2027' };

describe('notification templates', () => {
	it.each(noticeEvents)('%s has a subject and a plain text signed by Program staff', (event) => {
		const message = render(event, facts);
		expect(message.subject.length).toBeGreaterThan(5);
		expect(message.subject).not.toMatch(/\n/);
		expect(message.text).toMatch(/^Dear Robin Example,/);
		expect(message.text).toMatch(/-- Program staff, Library Support Staff Certification Program$/);
		expect(message.text).toContain('https://car.example.org/');
		expect(message.text).not.toMatch(/<[a-z]/i);
	});

	it('says what the event needs said', () => {
		expect(render('application-declined', facts).text).toContain('Tell us about 2019.');
		expect(render('application-needs-information', facts).text).toContain('Tell us about 2019.');
		expect(render('fee-recorded', facts)).toMatchObject({ subject: 'Your program fee was recorded as paid', text: expect.stringContaining('$350') });
		expect(render('deadline-approaching', facts)).toMatchObject({ subject: 'Your certification deadline is in 6 months', text: expect.stringContaining('2028-03-15') });
		expect(render('deadline-approaching', { ...facts, monthsLeft: 1 }).subject).toBe('Your certification deadline is in one month');
	});

	it('refuses to send a decline without its reason', () => {
		expect(() => render('application-declined', { name: 'R', appUrl: 'https://x.example' })).toThrow(/needs a reason/);
	});
});
