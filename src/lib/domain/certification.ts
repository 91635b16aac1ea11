/**
 * Whether a candidate may be awarded the certificate (Appendix C §6: "all 3 required + 3
 * electives"; Appendix D: at most four years from acceptance), judged on the server's candidate
 * index: the sets it records as achieved (by portfolio, or by an approved course once that route
 * exists) and the day each was achieved. The window and the counting are `candidateProgress`'s
 * (progress.ts), so the dashboard's "3 + 3" and the award never disagree.
 */
import { addYears, isBefore, type IsoDate } from './dates';
import { policyFor, type ProgramPolicy } from './policy';
import { candidateProgress, type SetFacts } from './progress';

/** What the rule reads of the index (docs/program.ts), without its zod schema. */
export interface AwardFacts {
	application: { status: string; acceptedOn: IsoDate | null; policyVersion: string | null } | null;
	sets: Readonly<Record<string, { state: string; achievedOn: IsoDate | null }>>;
	certificate?: { number: string } | null;
}

export type AwardEligibility =
	| { eligible: true; policy: ProgramPolicy; qualifiedOn: IsoDate; expiresOn: IsoDate; reasons: string[] }
	| { eligible: false; reasons: string[] };

/** An achieved set as the progress rules read it: decided (or verified) on the day it was achieved. */
function factsOf(setId: string, set: { state: string; achievedOn: IsoDate | null }): SetFacts | null {
	if (!set.achievedOn) return null;
	if (set.state === 'achieved-portfolio') {
		return { setId, submissions: [{ submittedOn: set.achievedOn, reviewersAssigned: 1, outcome: 'achieved', decidedOn: set.achievedOn }] };
	}
	if (set.state === 'achieved-course') return { setId, courseCompletions: [{ claimedOn: set.achievedOn, verifiedOn: set.achievedOn }] };
	return null;
}

/** The day the certificate awarded on `awardedOn` lapses after (its last valid day). */
export function certificateExpiry(policy: ProgramPolicy, awardedOn: IsoDate): IsoDate {
	return addYears(awardedOn, policy.certificate.validityYears);
}

/**
 * Eligible when the application is accepted under a known policy, no certificate was awarded yet,
 * and the policy's required sets and enough electives were achieved by the deadline. A set achieved
 * after the deadline does not count (progress.ts); whether it should is for an appeal to decide.
 */
export function awardEligibility(facts: AwardFacts, today: IsoDate): AwardEligibility {
	const application = facts.application;
	if (facts.certificate) return { eligible: false, reasons: [`Certificate ${facts.certificate.number} was already awarded to this candidate.`] };
	if (!application || application.status !== 'accepted' || !application.acceptedOn || !application.policyVersion) {
		return { eligible: false, reasons: ['This candidate’s application has not been accepted.'] };
	}
	const policy = policyFor(application.policyVersion);
	if (!policy) return { eligible: false, reasons: [`The candidate’s policy ${application.policyVersion} is not known to this version of the app.`] };
	if (isBefore(today, application.acceptedOn)) return { eligible: false, reasons: ['The acceptance is dated after today.'] };
	const sets = Object.entries(facts.sets).flatMap(([setId, set]) => factsOf(setId, set) ?? []);
	const progress = candidateProgress({ policy, acceptedOn: application.acceptedOn, now: today, sets });
	if (!progress.canBeCertified || !progress.qualifiedOn) {
		const { required, electives } = progress.remaining;
		const missing = [
			...required.map((setId) => `The required set ${progress.sets.find((set) => set.setId === setId)?.name ?? setId} is not achieved within the deadline of ${progress.deadline}.`),
			...(electives ? [`${electives} more elective ${electives === 1 ? 'set is' : 'sets are'} needed, achieved by ${progress.deadline}.`] : [])
		];
		return { eligible: false, reasons: missing };
	}
	return { eligible: true, policy, qualifiedOn: progress.qualifiedOn, expiresOn: certificateExpiry(policy, today), reasons: progress.reasons };
}
