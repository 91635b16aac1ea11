/**
 * A certificate's validity and renewal (Appendix D "Renewal": "Certificate holders must
 * renew their certificate every five years").
 */
import { addDays, addYears, isAfter, isBefore, type IsoDate } from './dates';
import { formatNumber } from './format';
import { hasVisibleText } from './text';
import { policyFor, type ProgramPolicy } from './policy';
import type { IndexedCertificate, IndexedRenewal, RenewalOutcome } from './docs/certificates';

export interface RenewalFacts {
	renewedOn: IsoDate;
	contactHours?: number | null;
	technologyContactHours?: number | null;
}

export type CertificateState = 'valid' | 'renewal-window-open' | 'expired';

/**
 * Lapsed: today is after the last valid day. Derived wherever a certificate is shown (the office,
 * the holder's record), never stored, so it is right on the day it happens with nothing written.
 */
export function isLapsed(expiresOn: IsoDate, today: IsoDate): boolean {
	return isAfter(today, expiresOn);
}

export interface CertificateStatus {
	status: CertificateState;
	/** Last day the certificate is valid. */
	expiresOn: IsoDate;
	/** Last day a renewal is accepted: the expiry day, as the briefing gives no grace period. */
	renewalDueOn: IsoDate;
	renewalWindowOpensOn: IsoDate;
	renewalsAccepted: number;
	reasons: string[];
}

/**
 * Terms run from award anniversary to award anniversary, whenever in its window a
 * renewal came: renewing early never shortens the holder's time, and renewing late
 * never stretches it. The anniversary itself is still valid, as with the completion
 * deadline.
 */
export function renewalDueDate(policy: ProgramPolicy, awardedOn: IsoDate, renewalsAccepted = 0): IsoDate {
	return addYears(awardedOn, policy.certificate.validityYears * (renewalsAccepted + 1));
}

/**
 * A renewal counts when it comes inside the renewal window of the term it renews
 * (from `windowDays` before expiry to the expiry day) and carries the contact hours the
 * policy asks for. One that comes after expiry cannot revive the certificate: the
 * briefing offers no reinstatement, so that is for the committee to decide.
 */
export function certificateStatus(
	policy: ProgramPolicy,
	{ awardedOn, now, renewals = [] }: { awardedOn: IsoDate; now: IsoDate; renewals?: readonly RenewalFacts[] }
): CertificateStatus {
	if (isBefore(now, awardedOn)) throw new RangeError(`now (${now}) is before the award date (${awardedOn})`);
	const { validityYears, renewal: rule } = policy.certificate;
	const reasons = [`Awarded on ${awardedOn}; each term lasts ${validityYears} years.`];
	let accepted = 0;
	const ordered = [...renewals].sort((a, b) => (isBefore(a.renewedOn, b.renewedOn) ? -1 : isAfter(a.renewedOn, b.renewedOn) ? 1 : 0));
	for (const renewal of ordered) {
		const expiresOn = renewalDueDate(policy, awardedOn, accepted);
		const opensOn = addDays(expiresOn, -rule.windowDays);
		const refuse = (why: string) => reasons.push(`The renewal of ${renewal.renewedOn} does not count: ${why}.`);
		if (isAfter(renewal.renewedOn, now)) {
			refuse('it is dated after today');
		} else if (isAfter(renewal.renewedOn, expiresOn)) {
			refuse(`the certificate had expired on ${expiresOn}`);
		} else if (isBefore(renewal.renewedOn, opensOn)) {
			refuse(`the renewal window opened only on ${opensOn}`);
		} else if (rule.contactHours !== null && (renewal.contactHours ?? 0) < rule.contactHours) {
			refuse(`${formatNumber(renewal.contactHours ?? 0)} contact hours are recorded and ${formatNumber(rule.contactHours)} are required`);
		} else if (rule.technologyContactHours !== null && (renewal.technologyContactHours ?? 0) < rule.technologyContactHours) {
			refuse(
				`${formatNumber(renewal.technologyContactHours ?? 0)} technology contact hours are recorded and ${formatNumber(rule.technologyContactHours)} are required`
			);
		} else {
			accepted += 1;
			reasons.push(`Renewed on ${renewal.renewedOn}: valid until ${renewalDueDate(policy, awardedOn, accepted)}.`);
		}
	}

	const expiresOn = renewalDueDate(policy, awardedOn, accepted);
	const renewalWindowOpensOn = addDays(expiresOn, -rule.windowDays);
	let status: CertificateState;
	if (isAfter(now, expiresOn)) {
		status = 'expired';
		reasons.push(`Expired: it was valid until ${expiresOn}.`);
	} else if (isBefore(now, renewalWindowOpensOn)) {
		status = 'valid';
		reasons.push(`Valid until ${expiresOn}; renewal opens on ${renewalWindowOpensOn}.`);
	} else {
		status = 'renewal-window-open';
		reasons.push(`Valid until ${expiresOn}, and the renewal window is open until that day.`);
	}
	if (status !== 'expired' && rule.contactHours !== null) {
		const technology =
			rule.technologyContactHours !== null ? `, ${formatNumber(rule.technologyContactHours)} of them in technology` : '';
		reasons.push(`Renewal asks for ${formatNumber(rule.contactHours)} contact hours${technology}.`);
	}
	return { status, expiresOn, renewalDueOn: expiresOn, renewalWindowOpensOn, renewalsAccepted: accepted, reasons };
}

export interface RenewalApplication {
	contactHours: number | null;
	technologyContactHours: number | null;
	/** What the holder tells the office (optional: no edition asks for one). */
	statement: string;
	/** The holder confirms they ask to renew and that what they give is true: all the 2010 policy asks. */
	confirmed: boolean;
}

/**
 * Why a holder cannot apply to renew now with what they give (empty: they can). The rule of
 * `certificateStatus`, for the certificate as the index holds it (its current expiry): inside the
 * window (from `windowDays` before expiry to the expiry day; no grace after it, as the briefing
 * gives none), with the contact hours the holder's policy asks (none under the 2010 policy; the
 * technology hours are a share of them, as the policy schema has it) and their confirmation.
 */
export function renewalApplicationProblems(policy: ProgramPolicy, expiresOn: IsoDate, today: IsoDate, application: RenewalApplication): string[] {
	const rule = policy.certificate.renewal;
	const opensOn = addDays(expiresOn, -rule.windowDays);
	const problems: string[] = [];
	if (isAfter(today, expiresOn)) problems.push(`The certificate lapsed after ${expiresOn}: contact the program office.`);
	else if (isBefore(today, opensOn)) problems.push(`The renewal window opens on ${opensOn}.`);
	if (rule.contactHours !== null && (application.contactHours ?? 0) < rule.contactHours) {
		problems.push(`Renewal asks for ${formatNumber(rule.contactHours)} contact hours; ${formatNumber(application.contactHours ?? 0)} are given.`);
	}
	if (rule.technologyContactHours !== null && (application.technologyContactHours ?? 0) < rule.technologyContactHours) {
		problems.push(`Renewal asks for ${formatNumber(rule.technologyContactHours)} contact hours in technology; ${formatNumber(application.technologyContactHours ?? 0)} are given.`);
	}
	if ((application.technologyContactHours ?? 0) > (application.contactHours ?? 0)) {
		problems.push('The technology contact hours are a share of the contact hours, so they cannot be more.');
	}
	if (!application.confirmed) problems.push('Confirm that you ask to renew your certificate and that what you give is true.');
	return problems;
}

/** What the renewal rules read of a certificate in the candidate index. */
export type RenewableCertificate = Pick<IndexedCertificate, 'expiresOn' | 'policyVersion' | 'renewals'>;

/**
 * Why `apply-renewal` is refused (empty: it is not): a certificate to renew, no application of it
 * still waiting for a decision (a refused one may be followed by another while the window is
 * open), and `renewalApplicationProblems` under the certificate's own policy edition.
 */
export function applyRenewalRefusals(
	certificate: RenewableCertificate | null | undefined,
	today: IsoDate,
	application: RenewalApplication,
	policyOf: (version: string) => ProgramPolicy | undefined = policyFor
): string[] {
	if (!certificate) return ['You hold no certificate to renew.'];
	const pending = Object.values(certificate.renewals).find((renewal) => renewal.state === 'pending');
	if (pending) return [`Your application of ${pending.appliedOn} to renew is waiting for the program office's decision.`];
	const policy = policyOf(certificate.policyVersion);
	if (!policy) return [`The certificate follows policy ${certificate.policyVersion}, which this app does not know: contact the program office.`];
	return renewalApplicationProblems(policy, certificate.expiresOn, today, application);
}

/** Why `decide-renewal` is refused: the application must be there and still pending; a refusal needs its reason. */
export function decideRenewalRefusals(renewal: IndexedRenewal | null | undefined, outcome: RenewalOutcome, reason: string): string[] {
	if (!renewal) return ['There is no such renewal application for this candidate.'];
	if (renewal.decision) return [`This renewal application was already ${renewal.decision.outcome} on ${renewal.decision.decidedOn}.`];
	if (outcome === 'refused' && !hasVisibleText(reason)) return ['Give the reason for refusing: the holder reads it.'];
	return [];
}

/** The holder's latest renewal application (by when it was made), or null before the first. */
export function latestRenewal<R extends Pick<IndexedRenewal, 'appliedAt'>>(renewals: Record<string, R>): [string, R] | null {
	let latest: [string, R] | null = null;
	for (const entry of Object.entries(renewals)) if (!latest || entry[1].appliedAt > latest[1].appliedAt) latest = entry;
	return latest;
}

/** A renewal moves the expiry one term on from the old expiry, however early in the window it came. */
export function renewedExpiry(policy: ProgramPolicy, expiresOn: IsoDate): IsoDate {
	return addYears(expiresOn, policy.certificate.validityYears);
}
