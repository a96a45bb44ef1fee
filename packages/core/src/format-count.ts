/**
 * A whole number with commas between thousands, as `toLocaleString('en-US')` writes it, without
 * Intl: the first `toLocaleString` of a process loads the locale data (~13 ms of a cold command).
 *
 * @example
 * formatCount(1234567) // => '1,234,567'
 */
export function formatCount(n: number): string {
  const whole = Math.round(n);
  if (!Number.isFinite(whole)) return String(whole);
  const digits = String(Math.abs(whole));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return whole < 0 ? `-${out}` : out;
}
