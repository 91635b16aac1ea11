/** Whether a text has something a reader sees: more than white space and invisible format characters (zero-width spaces, joiners, direction marks). */
export const hasVisibleText = (value: string): boolean => value.replace(/[\s\p{Cf}]/gu, '').length > 0;
