declare const designDocs: Record<string, Array<{ _id: string; language: string } & Record<string, unknown>>>;
export default designDocs;
