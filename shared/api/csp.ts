/**
 * The page's Content-Security-Policy, the same under Electron's `charter://` protocol and the
 * `charter web` bridge. No inline or remote script, no eval; connections only to the page's own
 * origin (HTTP API and its WebSocket). `style-src` allows 'unsafe-inline' because CodeMirror 6
 * injects its theme as <style> elements at run time (style-mod); styles cannot run code, and
 * scripts stay strictly 'self'. See docs/workbench.md.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every page response carries, whichever host serves it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};
