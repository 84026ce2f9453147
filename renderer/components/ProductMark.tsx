/** The console's mark: a lens in a square, drawn inline (no external assets under the CSP). */
export function ProductMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect x="1" y="1" width="30" height="30" rx="4" fill="#0b3d91" stroke="#3984fe" strokeWidth="1.5" />
      <circle cx="16" cy="16" r="8" fill="none" stroke="#cde2ff" strokeWidth="2" />
      <circle cx="16" cy="16" r="3" fill="#64a0ff" />
      <circle cx="25" cy="7" r="1.8" fill="#ff5c5c" />
    </svg>
  );
}
