/** The colours a status badge comes in (web/src/ui/badges.tsx). */
export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';
