import type { User } from './auth/users';
import { db } from './couch';

/** A demo candidate starts with a profile, so every screen has something to show. */
export async function seedDemoRecord(user: User): Promise<void> {
	if (!user.dbName) return;
	await db(user.dbName).insert({
		_id: 'profile',
		preferredName: user.name.split(' ')[0] ?? user.name,
		homeLibrary: 'Riverside Public Library',
		updatedAt: new Date().toISOString()
	});
}
