import { describe, expect, it } from 'vitest';
import { wallOfWindow, wallWindowUrl } from './wall-window';

describe('the address of a wall window', () => {
  it('names the wall and keeps the page’s other hash parameters', () => {
    const url = wallWindowUrl('http://127.0.0.1:8080/#port=9001&x=1', 'Night shift / Północ');
    expect(url.startsWith('http://127.0.0.1:8080/#port=9001&x=1&wall=')).toBe(true);
    expect(wallOfWindow(url)).toBe('Night shift / Północ');
    const file = wallWindowUrl('file:///opt/Operator%20Console/index.html', 'Main wall');
    expect(wallOfWindow(file)).toBe('Main wall');
    expect(file.startsWith('file:///opt/Operator%20Console/index.html#')).toBe(true);
    // Set again, the name is replaced, not repeated.
    expect(wallOfWindow(wallWindowUrl(url, 'Gate'))).toBe('Gate');
    expect(wallWindowUrl(url, 'Gate').match(/wall=/g)).toHaveLength(1);
  });

  it.each(['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/#wall=', 'http://127.0.0.1:8080/#wall=%20', 'http://h/#wall=%E0%A4%A', `http://h/#wall=${'x'.repeat(241)}`])('no wall for %j', (href) => {
    expect(wallOfWindow(href)).toBeNull();
  });
});
