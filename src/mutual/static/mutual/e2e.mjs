// Mutual's end-to-end scheme, version 1, in the browser: the same steps as
// mutual/e2e/scheme.py, on the same library (libsodium), so either side reads what the
// other wrote. docs/e2e.md describes the scheme; the tests hold both sides to the same
// known-answer vectors.
//
// "libsodium-wrappers-sumo" is resolved by the page's import map to the copy vendored in
// static/vendor/libsodium (locked version, verified hash), never to another origin.
import sodiumModule from "libsodium-wrappers-sumo";

export const VERSION = 1;
const KEY_BYTES = 32;
const PASSWORD_CONTEXT = "mutualpw";
const UNWRAP_KEY_ID = 1;
const SIGN_IN_ID = 2;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const IDENTITY_AAD = encoder.encode("mutual:v1:identity");
// Labels put before what is hashed, so no hash of the scheme stands for another.
const COMMIT_LABEL = encoder.encode("mutual:v1:commit");
const SAFETY_LABEL = encoder.encode("mutual:v1:safety");
const RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

let sodium = null;

/** Load libsodium once; every other function needs it loaded. */
export async function ready() {
  if (sodium === null) {
    await sodiumModule.ready;
    sodium = sodiumModule;
  }
  return sodium;
}

function need() {
  if (sodium === null) throw new Error("call ready() first");
  return sodium;
}

export class SchemeError extends Error {}

export function b64(bytes) {
  return need().to_base64(bytes, need().base64_variants.URLSAFE_NO_PADDING);
}

export function unb64(text) {
  try {
    return need().from_base64(text, need().base64_variants.URLSAFE_NO_PADDING);
  } catch (error) {
    throw new SchemeError("not base64");
  }
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function equal(a, b) {
  return a.length === b.length && need().memcmp(a, b);
}

// From the password, two keys -----------------------------------------------------------

export function kdf(key, subkeyId, context, size = KEY_BYTES) {
  return need().crypto_kdf_derive_from_key(size, subkeyId, context, key);
}

// The person's own Argon2id limits ({opslimit, memlimit}, kept with their keys); the
// interactive ones when none are given.
export function passwordKeys(password, salt, limits = null) {
  const s = need();
  const seed = s.crypto_pwhash(
    KEY_BYTES,
    encoder.encode(password.normalize("NFC")),
    salt,
    limits?.opslimit ?? s.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    limits?.memlimit ?? s.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
  return {
    unwrap: kdf(seed, UNWRAP_KEY_ID, PASSWORD_CONTEXT),
    signIn: kdf(seed, SIGN_IN_ID, PASSWORD_CONTEXT),
  };
}

// A person's key pair, and wrapping its private half ------------------------------------

export function newIdentity() {
  const made = need().crypto_box_keypair();
  return { public: made.publicKey, private: made.privateKey };
}

export function identityOf(privateKey) {
  return { public: need().crypto_scalarmult_base(privateKey), private: privateKey };
}

function aeadSeal(key, plaintext, aad, nonce = null) {
  const s = need();
  const n = nonce ?? s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  return concat(n, s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, null, n, key));
}

function aeadOpen(key, blob, aad) {
  const s = need();
  const size = s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (blob.length < size + 16) throw new SchemeError("too short to be sealed");
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null, blob.subarray(size), aad, blob.subarray(0, size), key,
    );
  } catch (error) {
    throw new SchemeError("cannot be opened with this key");
  }
}

export function wrapPrivate(privateKey, key) {
  return aeadSeal(key, privateKey, IDENTITY_AAD);
}

export function unwrapPrivate(wrapped, key) {
  return aeadOpen(key, wrapped, IDENTITY_AAD);
}

export function newRecoveryKey() {
  return need().randombytes_buf(KEY_BYTES);
}

export function recoveryWords(key) {
  let number = 0n;
  for (const byte of key) number = (number << 8n) | BigInt(byte);
  const chars = [];
  for (let i = 0; i < 52; i += 1) {
    chars.push(RECOVERY_ALPHABET[Number(number % 32n)]);
    number /= 32n;
  }
  const text = chars.reverse().join("");
  return text.match(/.{4}/g).join("-");
}

export function recoveryKeyFrom(words) {
  const text = words.toUpperCase().replace(/[\s-]/g, "")
    .replace(/O/g, "0").replace(/[IL]/g, "1");
  if (text.length !== 52 || [...text].some((ch) => !RECOVERY_ALPHABET.includes(ch))) {
    throw new SchemeError("a recovery key is 52 characters in groups of four");
  }
  let number = 0n;
  for (const ch of text) number = number * 32n + BigInt(RECOVERY_ALPHABET.indexOf(ch));
  if (number >> 256n) throw new SchemeError("not a recovery key");
  const key = new Uint8Array(KEY_BYTES);
  for (let i = KEY_BYTES - 1; i >= 0; i -= 1) {
    key[i] = Number(number & 0xffn);
    number >>= 8n;
  }
  return key;
}

// Texts, their keys and commitments ------------------------------------------------------

export function commitment(key, nonce) {
  return need().crypto_generichash(32, concat(COMMIT_LABEL, nonce), key);
}

// A fresh key and nonce each time; given ones are for known-answer tests only.
export function sealText(text, aad, key = null, nonce = null) {
  const s = need();
  const k = key ?? s.randombytes_buf(KEY_BYTES);
  const blob = aeadSeal(k, encoder.encode(text), aad, nonce);
  const used = blob.subarray(0, s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  return { sealed: { ciphertext: blob, commitment: commitment(k, used) }, key: k };
}

export function openText(sealed, key, aad) {
  const size = need().crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  const nonce = sealed.ciphertext.subarray(0, size);
  if (key.length !== KEY_BYTES || !equal(commitment(key, nonce), sealed.commitment)) {
    throw new SchemeError("this key is not the one committed to");
  }
  return decoder.decode(aeadOpen(key, sealed.ciphertext, aad));
}

export function release(key, toPublic) {
  return need().crypto_box_seal(key, toPublic);
}

export function receive(released, me) {
  try {
    return need().crypto_box_seal_open(released, me.public, me.private);
  } catch (error) {
    throw new SchemeError("this key was not released to you");
  }
}

// The safety code ------------------------------------------------------------------------

function compare(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

export function safetyCode(publicA, publicB) {
  const [low, high] = [publicA, publicB].sort(compare);
  const digest = need().crypto_generichash(20, concat(SAFETY_LABEL, low, high), null);
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  const groups = [];
  for (let i = 0; i < 20; i += 4) {
    groups.push(String(view.getUint32(i, false) % 100000).padStart(5, "0"));
  }
  return groups.join(" ");
}
