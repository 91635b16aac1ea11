/**
 * Candidate index documents (`candidate:<userId>` in the program database) for the office bench,
 * shaped as the server writes them: src/lib/server/reports/bench-seed.spec.ts checks every one
 * against candidateIndexSchema. Deterministic (a seeded generator), so runs compare.
 *
 * The mix, roughly what an office of ~300 new candidates a year would hold: 8 % submitted and
 * waiting, 3 % each needing a staff decision or with the fee due, 2 % each waiting for the
 * candidate's answer or not eligible, 1 % each declined or withdrawn, the rest accepted over the
 * last 4½ years with some sets under way or achieved. The office's derived fields (queue,
 * submittedAt, deadline, lastActivityAt) are as `officeFieldsOf` (src/lib/domain/mirrors.ts) makes them.
 *
 * `evaluatorDocs`: the roster's evaluators (`evaluator:<userId>`), as the evaluator workflows write
 * them (src/lib/domain/docs/evaluators.ts, checked in the same spec), with the receipts of the
 * actions that brought them there.
 */
const SETS = [
	'communication-and-teamwork',
	'foundations-of-library-service',
	'technology',
	'access-services',
	'adult-readers-advisory-services',
	'reference-and-information-services',
	'supervision-and-management',
	'technical-services',
	'youth-services'
];
const SET_STATES = ['drafting', 'submitted', 'in-review', 'revision-requested', 'not-achieved', 'achieved-portfolio', 'achieved-course'];
const WITH_SUBMISSION = new Set(['submitted', 'in-review', 'revision-requested', 'not-achieved', 'achieved-portfolio']);
const DAY_MS = 86_400_000;
/** `queueStateOf` (src/lib/domain/docs/office.ts): the office queue each application state is in. */
const QUEUE_OF = { submitted: 'submitted', 'needs-staff-decision': 'submitted', 'fee-due': 'submitted', 'needs-information': 'needs-information', accepted: 'accepted', declined: 'declined' };
/** Policy 2010.1's `completionYears`. */
const COMPLETION_YEARS = 4;

/** mulberry32: a small seeded generator, so the same seed gives the same population. */
function generator(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function uuidFrom(random) {
	const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
	hex[12] = '4';
	hex[16] = '89ab'[Math.floor(random() * 4)];
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const day = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * `count` candidate index documents as of `now` (a Date).
 * @param {number} count
 * @param {{ now?: Date, seed?: number }} [options]
 */
export function candidateIndexDocs(count, { now = new Date(), seed = 1 } = {}) {
	const random = generator(seed);
	const nowMs = now.getTime();
	const docs = [];
	for (let i = 0; i < count; i++) {
		const userId = `bench${String(i).padStart(7, '0')}`;
		const r = random();
		const status =
			r < 0.08 ? 'submitted' : r < 0.11 ? 'needs-staff-decision' : r < 0.14 ? 'fee-due' : r < 0.16 ? 'needs-information' : r < 0.17 ? 'declined' : r < 0.19 ? 'not-eligible' : r < 0.2 ? 'withdrawn' : 'accepted';
		const accepted = status === 'accepted';
		const acceptedMs = nowMs - Math.floor(random() * 1640) * DAY_MS;
		const updatedAt = new Date(accepted ? acceptedMs : nowMs - Math.floor(random() * 90 * DAY_MS)).toISOString();
		const sets = {};
		const submissions = {};
		if (accepted) {
			for (const setId of SETS) {
				if (random() < 0.45) continue;
				const state = SET_STATES[Math.floor(random() * SET_STATES.length)];
				const changedMs = acceptedMs + Math.floor(random() * Math.max(1, (nowMs - acceptedMs) / DAY_MS)) * DAY_MS;
				let submission = null;
				if (WITH_SUBMISSION.has(state)) {
					submission = uuidFrom(random);
					submissions[submission] = {
						setId,
						round: 1,
						submittedAt: new Date(changedMs - 20 * DAY_MS).toISOString(),
						narratives: [{ id: `narrative:${setId}:${uuidFrom(random)}`, rev: '1-0a1b2c3d4e5f60718293a4b5c6d7e8f9' }],
						evidence: []
					};
				}
				sets[setId] = {
					state,
					achievedOn: state.startsWith('achieved') ? day(changedMs) : null,
					resubmissionsUsed: 0,
					submission,
					updatedAt: new Date(changedMs).toISOString()
				};
			}
		}
		const submittedAt = new Date(Date.parse(updatedAt) - Math.floor(random() * 30) * DAY_MS).toISOString();
		const acceptedOn = accepted ? day(acceptedMs) : null;
		docs.push({
			_id: `candidate:${userId}`,
			version: 1,
			userId,
			name: `Bench Candidate ${i}`,
			email: `${userId}@example.test`,
			queue: QUEUE_OF[status] ?? null,
			submittedAt,
			deadline: acceptedOn ? `${Number(acceptedOn.slice(0, 4)) + COMPLETION_YEARS}${acceptedOn.slice(4) === '-02-29' ? '-02-28' : acceptedOn.slice(4)}` : null,
			lastActivityAt: updatedAt,
			notices: {},
			application: {
				submittedAt,
				status,
				policyVersion: accepted ? '2010.1' : null,
				acceptedOn,
				feePaidOn: accepted || random() < 0.3 ? day(acceptedMs - 3 * DAY_MS) : null,
				reasons: [],
				actionId: uuidFrom(random),
				updatedAt
			},
			sets,
			claims: {},
			submissions,
			actions: {},
			updatedAt
		});
	}
	return docs;
}

const PROFESSIONS = ['librarian', 'educator'];
const TRAINING_EVENTS = [
	['annual', 'Annual Conference'],
	['midwinter', 'Midwinter Meeting'],
	['other', 'Regional evaluator workshop']
];

/**
 * `count` evaluators as of `now`, in every state: 20 % applied and waiting for the committee, 15 %
 * declined, the rest selected; of those selected about 70 % trained (one or two trainings), some
 * paused, the trained ones with assignments open and completed.
 * @param {number} count
 * @param {{ now?: Date, seed?: number }} [options]
 */
export function evaluatorDocs(count, { now = new Date(), seed = 1 } = {}) {
	const random = generator(seed);
	const nowMs = now.getTime();
	const iso = (ms) => new Date(ms).toISOString();
	const docs = [];
	for (let i = 0; i < count; i++) {
		const userId = `benchevaluator${String(i).padStart(6, '0')}`;
		const r = random();
		const state = r < 0.2 ? 'applied' : r < 0.35 ? 'declined' : 'selected';
		const appliedMs = nowMs - (90 + Math.floor(random() * 1400)) * DAY_MS;
		const profession = PROFESSIONS[i % 2];
		const setIds = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => SETS[Math.floor(random() * SETS.length)]))];
		const affiliation = profession === 'librarian' ? `Bench Public Library ${i % 97}` : `Bench Community College ${i % 31}, LTA program`;
		const applicationActionId = uuidFrom(random);
		const actions = {};
		const receipt = (kind, atMs, result) => ({ kind, result: { userId, ...result }, completedAt: iso(atMs) });
		actions[applicationActionId] = receipt('apply-evaluator', appliedMs, { state: 'applied', trained: false, available: true });
		let decision = null;
		const training = [];
		let updatedMs = appliedMs;
		if (state !== 'applied') {
			const decidedMs = appliedMs + (7 + Math.floor(random() * 40)) * DAY_MS;
			const actionId = uuidFrom(random);
			decision = {
				outcome: state,
				reason: state === 'selected' ? 'Experienced in the sets named; references checked.' : 'Not enough recent experience in the sets named.',
				by: 'system',
				at: iso(decidedMs),
				actionId
			};
			actions[actionId] = receipt('decide-evaluator', decidedMs, { state, trained: false, available: true });
			updatedMs = decidedMs;
			const trainings = state === 'selected' && random() < 0.7 ? 1 + Math.floor(random() * 2) : 0;
			for (let t = 0; t < trainings; t++) {
				const completedMs = Math.min(nowMs - DAY_MS, decidedMs + (20 + t * 180 + Math.floor(random() * 120)) * DAY_MS);
				const recordedMs = completedMs + 2 * DAY_MS > nowMs ? nowMs : completedMs + 2 * DAY_MS;
				const [event, name] = TRAINING_EVENTS[Math.floor(random() * TRAINING_EVENTS.length)];
				const trainingId = uuidFrom(random);
				training.push({
					completedOn: day(completedMs),
					event,
					eventName: `${name} ${new Date(completedMs).getUTCFullYear()}`,
					trainer: 'LSSCP evaluator training team',
					recordedBy: 'system',
					recordedAt: iso(recordedMs),
					actionId: trainingId
				});
				actions[trainingId] = receipt('record-training', recordedMs, { state, trained: true, available: true });
				updatedMs = Math.max(updatedMs, recordedMs);
			}
		}
		const trained = training.length > 0;
		const completed = trained ? Math.floor(random() * 12) : 0;
		// A few selected evaluators paused themselves.
		const available = !(state === 'selected' && random() < 0.1);
		if (!available) {
			const pausedMs = updatedMs + Math.floor((nowMs - updatedMs) / 2);
			actions[uuidFrom(random)] = receipt('set-evaluator-availability', pausedMs, { state, trained, available });
			updatedMs = pausedMs;
		}
		docs.push({
			_id: `evaluator:${userId}`,
			version: 1,
			userId,
			name: `Bench Evaluator ${i}`,
			email: `${userId}@example.test`,
			application: {
				profession,
				qualifications: profession === 'librarian' ? 'MLS; ten years in public services.' : 'Teaches in a Library Technical Assistant program.',
				affiliation,
				setIds,
				conflicts: { statement: '', libraries: [affiliation] },
				capacityPerMonth: 1 + Math.floor(random() * 5)
			},
			appliedAt: iso(appliedMs),
			applicationActionId,
			state,
			decision,
			training,
			available,
			load: { open: trained ? Math.floor(random() * 3) : 0, completed, totalDays: completed * (10 + Math.floor(random() * 30)) },
			actions,
			updatedAt: iso(updatedMs)
		});
	}
	return docs;
}
