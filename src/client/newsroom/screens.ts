/** Small enhancements of the newsroom's list and management screens. */
export {};
