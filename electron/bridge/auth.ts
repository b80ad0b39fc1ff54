/**
 * The bridge's gatekeeping, as pure functions: loopback-only peers, a Host header naming our
 * own loopback origin (defeats DNS rebinding), and the per-run token, compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: the per-run secret printed in the URL. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Only these hosts may be bound. */
export const ALLOWED_BIND_HOSTS: readonly string[] = ['127.0.0.1'];

export function isAllowedHostHeader(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function tokensEqual(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieName(port: number): string {
  // Cookies are shared across ports of one host; naming it by port keeps runs apart.
  return `charter_token_${port}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

export interface RequestFacts {
  readonly remoteAddress: string | undefined;
  readonly host: string | undefined;
  readonly authorization: string | undefined;
  readonly cookie: string | undefined;
  readonly origin: string | undefined;
}

export type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

/** Checks a request's peer, Host, Origin and token; the first failure decides the status. */
export function authorize(facts: RequestFacts, port: number, token: string): Verdict {
  if (!isLoopbackAddress(facts.remoteAddress)) {
    return { ok: false, status: 403, message: 'Charter web only answers this computer (loopback).' };
  }
  if (!isAllowedHostHeader(facts.host, port)) {
    return { ok: false, status: 403, message: 'Wrong Host header: open the address Charter printed.' };
  }
  if (facts.origin !== undefined && facts.origin !== `http://127.0.0.1:${port}` && facts.origin !== `http://localhost:${port}`) {
    return { ok: false, status: 403, message: 'Requests from other sites are refused.' };
  }
  const given = bearerToken(facts.authorization) ?? readCookie(facts.cookie, cookieName(port));
  if (!tokensEqual(given, token)) {
    return { ok: false, status: 401, message: 'Missing or wrong token: open the full address Charter printed, including ?token=….' };
  }
  return { ok: true };
}
