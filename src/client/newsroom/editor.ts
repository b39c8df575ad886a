/** The story editor (filled in by the editor page's work). */
export {};
