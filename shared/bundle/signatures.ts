/**
 * `signatures.json`: `{ "signatures": [compact JWS, …] }`, each over the exact bytes of
 * manifest.json. A bundle passes when at least `threshold` distinct trusted keys signed it and
 * no signature that names a trusted key fails. Signatures by keys the verifier does not trust
 * are reported and otherwise ignored; trust comes only from the verifier's own list.
 */
import { equalBytes } from '../merkle/hash.ts';
import type { TrustedKeys } from '../merkle/jws.ts';
import { verifyJws } from '../merkle/jws.ts';
import { reject } from './failures.ts';
import { MANIFEST_TYP, SIGNATURES_FILE } from './format.ts';

export interface SignatureCheck {
  /** Trusted keys whose signatures verified. */
  readonly signers: readonly string[];
  /** Signatures by keys the verifier does not trust. */
  readonly untrusted: readonly string[];
}

export function signaturesDocument(jws: readonly string[]): string {
  return `${JSON.stringify({ signatures: jws }, null, 2)}\n`;
}

export async function checkSignatures(
  signaturesBytes: Uint8Array,
  manifestBytes: Uint8Array,
  trusted: TrustedKeys,
  threshold: number,
): Promise<SignatureCheck> {
  let list: unknown;
  try {
    list = (JSON.parse(Buffer.from(signaturesBytes).toString('utf8')) as { signatures?: unknown }).signatures;
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) reject('signature', `${SIGNATURES_FILE} does not hold a "signatures" array`, { file: SIGNATURES_FILE });
  if (list.length === 0) reject('signature', 'the bundle carries no signature', { file: SIGNATURES_FILE });
  if (list.length > 64) reject('signature', `${SIGNATURES_FILE} holds ${list.length} signatures; at most 64 are read`, { file: SIGNATURES_FILE });
  const signers = new Set<string>();
  const untrusted = new Set<string>();
  for (const [i, jws] of list.entries()) {
    const check = await verifyJws(jws, trusted, MANIFEST_TYP);
    if (check.ok) {
      if (!equalBytes(check.payload, manifestBytes)) {
        reject('signature', `signature ${i + 1} (key ${check.kid}) signs a different manifest`, { file: SIGNATURES_FILE, kid: check.kid });
      }
      signers.add(check.kid);
    } else if (check.failure === 'untrusted_key') {
      untrusted.add(check.kid ?? '?');
    } else {
      reject('signature', `signature ${i + 1}: ${check.message}`, { file: SIGNATURES_FILE, ...(check.kid ? { kid: check.kid } : {}) });
    }
  }
  if (signers.size < threshold) {
    const who = untrusted.size > 0 ? `; signed by untrusted key${untrusted.size > 1 ? 's' : ''} ${[...untrusted].join(', ')}` : '';
    const kind = untrusted.size > 0 ? 'untrusted_key' : 'signature';
    const first = [...untrusted][0];
    reject(kind, `${signers.size} of the ${threshold} required trusted key${threshold > 1 ? 's' : ''} signed the manifest${who}`,
      { file: SIGNATURES_FILE, ...(first ? { kid: first } : {}) });
  }
  return { signers: [...signers], untrusted: [...untrusted] };
}
