/** Epoch seconds this large are year 5138: the value is milliseconds. */
export const MILLISECONDS = 1e11;
/** What a time given in milliseconds should have been. */
export const SECONDS_NOT_MS = 'epoch seconds, not milliseconds (Date.now() / 1000)';
