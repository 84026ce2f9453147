/** A flag: marking an incident. Drawn inline like the section icons (nothing loaded under the CSP). */
export function FlagIcon({ size = 14 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M5 21V4 M5 4h11l-2 4 2 4H5" />
    </svg>
  );
}
