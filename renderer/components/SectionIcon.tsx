import type { SectionId } from '../../shared/roles';

/** Navigation items: the shared sections, plus Storage, which the renderer adds for storage.view (see Shell). */
export type NavId = SectionId | 'storage';

// Simple stroke icons drawn inline (no icon font, nothing loaded from outside under the CSP).
const PATHS: Record<NavId, string> = {
  live: 'M3 5h13v10H3z M16 9l5-3v8l-5-3',
  playback: 'M4 4h16v16H4z M10 8.5v7l6-3.5z',
  incidents: 'M12 3l9 16H3z M12 9v5 M12 16.5v.5',
  holds: 'M6 10V7a6 6 0 0 1 12 0v3 M4 10h16v11H4z M12 14v3',
  exports: 'M12 3v12 M7 10l5 5 5-5 M4 17v4h16v-4',
  audit: 'M5 3h11l3 3v15H5z M8 9h8 M8 13h8 M8 17h5',
  breaches: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z M12 8v5 M12 15.5v.5',
  subjects: 'M8 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M2.5 19c0-3 2.5-5.5 5.5-5.5s5.5 2.5 5.5 5.5 M15 4h6v8h-6z M16.5 7h3 M16.5 9.5h3',
  access: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z M3 20c0-3.3 2.7-6 6-6s6 2.7 6 6 M16 11l2 2 4-4',
  accessReview: 'M4 6h9 M4 12h9 M4 18h6 M15 16l2.5 2.5L22 13 M16 5.5l1.5 1.5 3-3',
  storage: 'M4 5h16v5H4z M4 14h16v5H4z M7 7.5h.01 M7 16.5h.01 M11 7.5h6 M11 16.5h6',
  admin: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z M12 2v3 M12 19v3 M2 12h3 M19 12h3 M5 5l2 2 M17 17l2 2 M5 19l2-2 M17 7l2-2',
};

export function SectionIcon({ section, size = 16 }: { section: NavId; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[section]} />
    </svg>
  );
}
