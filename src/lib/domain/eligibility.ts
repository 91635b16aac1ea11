/**
 * Who may become a candidate (Appendix A "Eligibility Requirements", Appendix D
 * "Candidate Eligibility Requirements").
 */
import type { IsoDate } from './dates';
import { formatNumber } from './format';
import { hoursWithinWindow, roundHours, type WorkPeriodFacts } from './hours';
import type { ProgramPolicy } from './policy';

export type EducationKind = 'diploma' | 'ged' | 'foreign';

export interface EducationFacts {
	kind: EducationKind;
}

export type EligibilityStatus = 'eligible' | 'needs-staff-decision' | 'not-eligible';

export interface EligibilityResult {
	status: EligibilityStatus;
	hours: number;
	missingHours: number;
	windowStart: IsoDate;
	windowEnd: IsoDate;
	reasons: string[];
}

type Verdict = 'met' | 'staff' | 'unmet';

export const MLS_REASON =
	'Not eligible: you hold a master’s degree in library science (MLS). The certification is for library support staff, people working in libraries without an MLS; a librarian with an MLS cannot become a candidate.';

const educationNames: Record<EducationKind, string> = {
	diploma: 'A high-school diploma',
	ged: 'A General Educational Development (GED) credential',
	foreign: 'Education from outside the US'
};

/**
 * A clear failure outweighs a question for staff: an applicant short of hours with no
 * unclear period is told so now, even when their foreign education would also need a
 * look, so nobody waits on a decision that could not make them eligible.
 *
 * A period staff must look at (no hours, impossible dates) only holds the application
 * when the hours are short without it; once the counted hours reach the minimum the
 * unclear period cannot change the answer.
 */
export function eligibility({
	workPeriods,
	education,
	holdsMls = null,
	applicationDate,
	policy
}: {
	workPeriods: readonly WorkPeriodFacts[];
	education: readonly EducationFacts[];
	/** Whether the applicant holds a Master of Library Science; null or absent while unanswered. */
	holdsMls?: boolean | null;
	applicationDate: IsoDate;
	policy: ProgramPolicy;
}): EligibilityResult {
	const { minHours } = policy.eligibility;
	const counted = hoursWithinWindow(workPeriods, { applicationDate, policy });
	const missingHours = Math.max(0, roundHours(minHours - counted.hours));
	const unclearPeriods = counted.perPeriod.filter((period) => period.status === 'unclear');
	const reasons = [...counted.reasons];

	let hours: Verdict;
	if (missingHours === 0) {
		hours = 'met';
		reasons.push(`${formatNumber(counted.hours)} hours meet the minimum of ${formatNumber(minHours)}.`);
	} else if (unclearPeriods.length > 0) {
		hours = 'staff';
		reasons.push(
			`${formatNumber(missingHours)} hours short of ${formatNumber(minHours)} without the ${unclearPeriods.length === 1 ? 'period' : 'periods'} staff need to look at.`
		);
	} else {
		hours = 'unmet';
		reasons.push(`${formatNumber(missingHours)} hours short of the minimum of ${formatNumber(minHours)}.`);
	}

	let schooling: Verdict;
	const accepted = education.find((entry) => policy.eligibility.education.some((kind) => kind === entry.kind));
	if (accepted) {
		schooling = 'met';
		reasons.push(`${educationNames[accepted.kind]} is on record.`);
	} else if (education.some((entry) => entry.kind === 'foreign')) {
		if (policy.eligibility.foreignEducation === 'staff-decision') {
			schooling = 'staff';
			reasons.push('Education from outside the US is considered case by case: program staff will decide.');
		} else {
			schooling = 'met';
			reasons.push('Education from outside the US is accepted as equivalent under this policy.');
		}
	} else {
		schooling = 'unmet';
		reasons.push('No high-school diploma or GED (or equivalent) is on record.');
	}

	// The briefing: "Library Support Staff are those who work in a library and do not have a Master's
	// Degree in Library Science." An MLS holder is a librarian: no hours or schooling change that.
	let degree: Verdict = 'met';
	if (holdsMls === true) {
		degree = 'unmet';
		reasons.push(MLS_REASON);
	} else if (holdsMls === false) {
		reasons.push('No master’s degree in library science (MLS): library support staff, as the program requires.');
	}

	const verdicts = [hours, schooling, degree];
	const status: EligibilityStatus = verdicts.includes('unmet')
		? 'not-eligible'
		: verdicts.includes('staff')
			? 'needs-staff-decision'
			: 'eligible';
	return {
		status,
		hours: counted.hours,
		missingHours,
		windowStart: counted.windowStart,
		windowEnd: counted.windowEnd,
		reasons
	};
}
