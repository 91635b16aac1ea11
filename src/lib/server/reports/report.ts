/** The shape every office report takes: tables a page renders and a CSV download writes, one file per table. */
import type { CsvCell } from './csv';

export interface ReportTable {
	/** In the CSV's URL (`?table=`) and file name. */
	id: string;
	caption: string;
	columns: string[];
	rows: CsvCell[][];
	/** What the table cannot say (an empty list, a limit reached), shown under it. */
	note?: string;
}

export interface Report {
	id: string;
	title: string;
	description: string;
	/** The day the figures are for (UTC), printed on the page and in the file names. */
	asOf: string;
	tables: ReportTable[];
}
